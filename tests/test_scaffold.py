"""Specs of `mplab new NAME`: the three files of a catalog behavior, made for real in a copy of
this checkout, and what they do there before and after they are filled in."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lab import contract

ROOT = Path(__file__).resolve().parent.parent
NAME = "demo_behavior"


def run(args: list[str], cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    """A command run in the copy, with the copy's lab first on the path."""
    env = contract.without_lab(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(cwd), str(cwd / "tests")])
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout,
                          stdin=subprocess.DEVNULL)


def mplab_new(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(["-m", "lab", "new", *args, "--root", str(root)], cwd=ROOT)


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A copy of this checkout's lab and specs, removed with tmp_path."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mplab-results-*")
    for part in ("lab", "tests", "docs"):
        shutil.copytree(ROOT / part, root / part, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", root)
    return root


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _highest_id(root: Path) -> int:
    ids = re.findall(r'^id\s*=\s*"L(\d\d)', "\n".join(
        p.read_text(encoding="utf-8") for p in (root / "lab/data/behaviors").glob("*.toml")),
        re.MULTILINE)
    return max(map(int, ids), default=0)


def test_new_makes_three_files_that_load_run_and_fail_until_filled_in(checkout):
    before = _files(checkout)
    number = _highest_id(checkout) + 1
    done = mplab_new(checkout, NAME)
    assert done.returncode == 0, done.stderr
    made = _files(checkout) - before
    assert made == {f"lab/data/behaviors/{NAME}.toml", f"lab/probes/{NAME}.py",
                    f"tests/catalog/test_{NAME}.py"}
    claim_id = f"L{number:02d}"
    assert f"mplab: {claim_id} {NAME}: created" in done.stdout
    for step in ("wrong_expectations", "python -m lab.ledger > docs/claims.md",
                 "--all-pythons", f"tests/catalog/test_{NAME}.py"):
        assert step in done.stdout

    # The ledger and the expectations load it; the probe ends cleanly under every method.
    loaded = run(["-c", "from lab.ledger import claims; from lab.expectations import "
                  f"expectations; print(claims()['{claim_id}'].kind, "
                  f"expectations()['{NAME}_observed'].claim)"], cwd=checkout)
    assert loaded.stdout.split() == ["catalog", claim_id], loaded.stderr
    for method in multiprocessing.get_all_start_methods():  # spawn only on Windows
        ran = run(["-m", "lab", "run", f"probe:{NAME}", "--start-method", method], cwd=checkout)
        assert ran.returncode == 0 and "observed" in ran.stdout, ran.stderr

    # Unfilled, its spec fails, and so does the ledger's check for what is left to fill in.
    spec = f"tests/catalog/test_{NAME}.py"
    pytest_args = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
    failed = run([*pytest_args, spec, "-k", "spawn"], cwd=checkout)
    assert failed.returncode == 1 and "nothing observed yet" in failed.stdout, failed.stdout
    unfinished = run([*pytest_args, "tests/test_ledger.py", "-k", "scaffold"], cwd=checkout)
    assert unfinished.returncode == 1 and claim_id in unfinished.stdout, unfinished.stdout

    # Filled in (the probe reports a fact, the behavior file expects it): it passes, and fails
    # against a wrong expectation.
    probe = checkout / "lab" / "probes" / f"{NAME}.py"
    text = probe.read_text(encoding="utf-8")
    text = text.replace('queue.put("TODO: what the child sees")', 'queue.put("a child\'s message")')
    text = re.sub(r'_lab_hook.report\("observed", .*\)', '_lab_hook.report("observed", seen)', text)
    probe.write_text(text, encoding="utf-8")
    behavior = checkout / "lab" / "data" / "behaviors" / f"{NAME}.toml"
    text = behavior.read_text(encoding="utf-8")
    text = re.sub(r'value = "TODO[^"]*"', 'value = "a child\'s message"', text)
    behavior.write_text(re.sub(r"TODO[^\"\n]*", "filled in", text), encoding="utf-8")
    passed = run([*pytest_args, spec, "-k", "spawn"], cwd=checkout)
    assert passed.returncode == 0, passed.stdout
    wrong = run([*pytest_args, "-p", "wrong_expectations", "-m", "claim", spec, "-k", "spawn"],
                cwd=checkout)
    assert wrong.returncode == 1, wrong.stdout


@pytest.mark.parametrize(("name", "message"), [
    ("Bad_Name", "bad name 'Bad_Name'"),
    ("1st", "bad name '1st'"),
    ("with space", "bad name 'with space'"),
    ("../escape", "bad name '../escape'"),
    ("class", "bad name 'class'"),
    ("pool_async", "lab/probes/pool_async.py exists (a probe)"),
    ("default_start_method", "default_start_method.toml exists (a behavior)"),
    ("cli", "tests/test_cli.py exists (a spec file"),
])
def test_a_bad_or_taken_name_is_one_line_exit_2_and_writes_nothing(checkout, name, message):
    before = _files(checkout)
    done = mplab_new(checkout, name)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert _files(checkout) == before


def test_new_never_overwrites(checkout):
    assert mplab_new(checkout, NAME).returncode == 0
    spec = checkout / "tests" / "catalog" / f"test_{NAME}.py"
    spec.write_text("# mine\n", encoding="utf-8")
    again = mplab_new(checkout, NAME)
    assert again.returncode == 2 and "is taken" in again.stderr
    assert spec.read_text(encoding="utf-8") == "# mine\n"


def test_new_outside_a_checkout_is_refused(tmp_path):
    done = mplab_new(tmp_path, NAME)
    assert done.returncode == 2 and "is not an mplab checkout" in done.stderr
    assert list(tmp_path.iterdir()) == []
