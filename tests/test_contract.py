"""The contract between the lab and what it starts (lab/contract.py): named once, read alike.

The runner writes the program's settings with ``ProgramSettings.to_env``; the examples' hook reads
them back with ``from_env``; these specs prove the two agree on a real run, and that no other file
spells a variable's name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lab import contract, runner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "lab" / "examples"


def test_no_file_but_the_contract_spells_a_variables_name():
    spelled = []
    for folder in ("lab", "ci", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name in ("contract.py", "test_contract.py") or "node_modules" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"MPLAB_[A-Z]", line):
                    spelled.append(f"{path.relative_to(ROOT)}:{number}")
    assert spelled == []
    assert all(name.startswith(contract.PREFIX) for name in contract.NAMES)
    assert len(set(contract.NAMES)) == len(contract.NAMES)


@pytest.mark.parametrize("settings", [
    contract.ProgramSettings(),
    contract.ProgramSettings("forkserver", "terminal", 0.05, "/tmp/x"),
])
def test_program_settings_survive_the_environment(settings):
    assert contract.ProgramSettings.from_env(settings.to_env()) == settings


def test_the_hook_reads_what_the_runner_wrote():
    obs = runner.run_file(str(ROOT / "tests" / "programs" / "hook_settings.py"),
                          runner.Settings(start_method="spawn", stdout="terminal",
                                          time_scale=0.25))
    assert obs.one("settings").value == {"start_method": "spawn", "line_buffering": True,
                                         "scaled_2": 0.5}


HOOK = """\
import sys
sys.modules["lab"] = None  # the lab is not importable: a checkout, or a copy of the example
sys.path.insert(0, sys.argv[1])
import _lab_hook
print(_lab_hook._SETTINGS)
"""


def _hook_without_lab(folder: Path) -> str:
    env = {**contract.without_lab(os.environ),
           **contract.ProgramSettings(time_scale=0.5).to_env()}
    done = subprocess.run([sys.executable, "-c", HOOK, str(folder)], capture_output=True,
                          text=True, timeout=60, env=env, check=True)
    return done.stdout.strip()


def test_in_a_checkout_the_hook_finds_the_contract_beside_it():
    assert _hook_without_lab(EXAMPLES) == repr(contract.ProgramSettings(time_scale=0.5))


def test_a_copy_of_an_example_run_by_hand_gets_a_hook_that_does_nothing(tmp_path):
    shutil.copy(EXAMPLES / "_lab_hook.py", tmp_path)
    assert _hook_without_lab(tmp_path) == "None"
