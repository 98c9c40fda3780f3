"""Specs of `mplab check PATH.py`: a user's program under every start method, compared with fork.

Each runs real programs from tests/programs/check/ (a few lines each) under the start methods
of the Python running the specs. No assertion depends on timing or on the order of lines that
different processes print.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from hanging import until_ready

from lab import check
from lab.check import parse_stderr
from lab.diagnose import source_facts, stdin_reads
from lab.normalize import Normalizer
from lab.platforms import this_platform

PROGRAMS = Path(__file__).parent / "programs" / "check"
OTHERS = [m for m in this_platform().available if m != "fork"]
needs_fork = pytest.mark.skipif("fork" not in this_platform().available, reason="needs fork")


def run(name: str, **kwargs) -> check.Result:
    return check.run_check(str(PROGRAMS / name), **kwargs)


def mplab(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def by_method(result: check.Result) -> dict[str, check.Run]:
    return {r.method: r for r in result.runs}


def claims(run: check.Run) -> list[str]:
    return [d.claim for d in run.diagnoses]


@needs_fork
def test_lambda_target_differs_and_is_diagnosed_as_L06():
    result = run("lambda_target.py")
    runs = by_method(result)
    assert runs["fork"].verdict == "reference" and runs["fork"].digest.end == "exit code 0"
    assert result.exit_code == 1
    for method in OTHERS:
        assert runs[method].verdict == "differs from fork"
        assert any("PicklingError" in e for e in runs[method].digest.exceptions)
        assert claims(runs[method]) == ["L06"]


@needs_fork
def test_missing_main_guard_is_diagnosed_as_L03():
    result = run("no_main_guard.py")
    runs = by_method(result)
    assert "child ran" in runs["fork"].digest.stdout
    assert result.exit_code == 1
    # spawn: the bootstrapping RuntimeError on every Python; forkserver: per Python (L03), and
    # diagnosed either by that error or by the missing guard.
    assert any("bootstrapping phase" in e for e in runs["spawn"].digest.exceptions)
    for method in OTHERS:
        assert "L03" in claims(runs[method]), runs[method].differences


@needs_fork
def test_global_changed_in_main_is_diagnosed_as_L05():
    result = run("global_changed.py")
    runs = by_method(result)
    assert "child sees set in main" in runs["fork"].digest.stdout
    for method in OTHERS:
        diff = next(d for d in runs[method].differences if d.aspect == "stdout")
        assert diff.extra == ["child sees module default"]
        assert diff.missing == ["child sees set in main"]
        assert claims(runs[method]) == ["L05"]
    assert result.exit_code == 1


def test_portable_program_agrees_under_every_method():
    result = run("portable.py")
    assert result.exit_code == 0 and result.agree
    assert {r.method for r in result.runs} == set(this_platform().available)
    for r in result.runs[1:]:
        assert r.verdict.startswith("same as") and not r.diagnoses
    # pids, an address and a temporary path were printed, and masked
    assert any("<pid>" in line for line in result.runs[0].digest.stdout)
    assert any("0x<addr>" in line and "<tmp>" in line for line in result.runs[0].digest.stdout)


@needs_fork
def test_a_hang_under_fork_only_is_a_bounded_reported_timeout():
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    # Ready when the other methods had the time to end: under load a spawn alone can take 1 s.
    result, timeout = until_ready(
        lambda timeout: run("hangs_under_fork.py", timeout=timeout),
        ready=lambda result: not any(r.obs.timed_out for r in result.runs if r.method != "fork"))
    runs = by_method(result)
    assert runs["fork"].obs.timed_out
    assert runs["fork"].digest.end == f"timed out after {timeout:g} s"
    assert runs["fork"].obs.killed  # the tree was killed
    for method in OTHERS:
        assert runs[method].digest.end == "exit code 0"
        assert any(d.aspect == "end" for d in runs[method].differences)
        assert runs[method].diagnoses == []  # not in the catalog's symptoms: shown as is
    assert result.exit_code == 1
    after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert after <= before, "a process of the check is still running"
    assert "not recognized by the catalog" in "\n".join(check.text_lines(result))


def test_start_method_is_forced_from_outside_also_in_spawns_reimport():
    result = run("reports_method.py", args=["one", "two"])
    for r in result.runs:
        child_name = "__main__" if r.method == "fork" else "__mp_main__"
        assert f"child {r.method} {child_name}" in r.obs.stdout
        assert f"parent {r.method} __main__" in r.obs.stdout
        assert "args one two" in r.obs.stdout


@pytest.mark.parametrize(("given", "says"), [
    ("missing.py", "no such program file"),
    (".", "is not a file"),
    ("notes.txt", "is not a Python program"),
    ("syntax_error.py", "has a syntax error on line 1"),
    ("reads_stdin.py", "reads standard input (input() on line 2)"),
    ("reads_stdin_hidden.py", "reads standard input (EOFError under"),
])
def test_bad_input_is_one_line_and_exit_2(given, says):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    done = mplab("check", str(PROGRAMS / given), "--timeout", "20")
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and says in done.stderr, done.stderr
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


@needs_fork
def test_cli_exit_codes_one_line_per_difference_json_and_html(tmp_path):
    same = mplab("check", str(PROGRAMS / "prints_markup.py"), "--html", str(tmp_path / "a.html"))
    assert same.returncode == 0, same.stderr
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<script>" not in page
    differs = mplab("check", str(PROGRAMS / "global_changed.py"), "--json")
    assert differs.returncode == 1
    data = json.loads(differs.stdout)
    assert data["agree"] is False and {d["claim"] for d in data["diagnoses"]} == {"L05"}
    text = mplab("check", str(PROGRAMS / "global_changed.py")).stdout.splitlines()
    lines = [line for line in text if line.startswith(tuple(f"{m} on " for m in OTHERS))]
    assert len(lines) == len(OTHERS)  # one stdout difference per method, one line each


def test_ignore_masks_what_the_user_names():
    plain = Normalizer()
    assert plain.line("pid 12345 at 0xdeadbeef took 1.234 s in /tmp/pymp-abc/x") == \
        "pid <pid> at 0x<addr> took <time> s in <tmp>"
    assert plain.line("parent process: 4242, process id: 4243") == \
        "parent process: <pid>, process id: <pid>"
    assert plain.line("answer 42") == "answer 42"  # a number without a pid's word stays
    assert plain.line("worker 777 done", pids=[777]) == "worker <pid> done"
    assert Normalizer(("run-[0-9]+",)).line("run-17 ok") == "<ignored> ok"


def test_stderr_is_read_as_exceptions_with_the_child_that_raised_them():
    lines = ["Process Process-1:", "Traceback (most recent call last):", '  File "x.py", line 1',
             "ValueError: boom", "plain warning text",
             "Traceback (most recent call last):", '  File "y.py", line 2',
             "RuntimeError: ", "        An attempt has been made", "",
             "mplab: note: the program asked for start method 'fork'; 'spawn' is forced"]
    exceptions, other, leaked, notes = parse_stderr(lines)
    assert exceptions == ["Process-1: ValueError: boom", "RuntimeError: An attempt has been made"]
    assert other == ["plain warning text"] and leaked == []
    assert notes == ["the program asked for start method 'fork'; 'spawn' is forced"]


def test_source_facts_and_stdin_reads():
    source = (PROGRAMS / "global_changed.py").read_text()
    assert "global_rebound_under_main_guard" in source_facts(source)
    assert "no_main_guard" in source_facts((PROGRAMS / "no_main_guard.py").read_text())
    threading_lock = (PROGRAMS / "hangs_under_fork.py").read_text()
    assert "module_level_lock" not in source_facts(threading_lock)  # threading's, not ours
    assert stdin_reads("import sys\nx = sys.stdin.read()\n") == ["sys.stdin on line 2"]
    assert stdin_reads("print('no input here')\n") == []


def test_the_docs_examples_are_kept_as_printed():
    docs = Path(__file__).parent / "programs" / "docs"
    assert (docs / "README.md").is_file()
    assert len(list(docs.glob("*.py"))) >= 15
    assert os.path.getsize(docs / "intro_pool.py") > 0
