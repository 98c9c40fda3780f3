"""Specs of ``mplab bench`` and ``python -m lab.benchmark --suite``: they run, their output has
its schema's shape, the page is self-contained, and a mistake is one line. Never a timing: no
spec here asserts how fast anything is, only that it was measured and reported.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pyperf
import pytest

from lab import cli, contract, merge, report, runner
from lab.bench import measures, page, suite, summary, targets
from lab.errors import LabError
from lab.interpreters import Interpreter

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300
LINUX = sys.platform.startswith("linux")
# One measure of each worker script (startup.py, memory.py): the run stays short.
MEASURED = ("process_first", "child_uss", "child_pss") if LINUX else ("process_first", "child_uss")


def mplab(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=TIMEOUT, cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL)


def test_a_quick_run_measures_reports_and_draws_every_start_method(tmp_path):
    """One real run under this Python, every start method, one measure of each worker; its
    outputs are checked one by one below (one run: the specs stay short)."""
    out = tmp_path / "out"
    done = mplab("bench", "--quick", "--out", str(out), *(f"--measure={m}" for m in MEASURED))
    assert done.returncode == 0, done.stdout + done.stderr
    data = summary.load(out / "bench.json")  # the schema's shape, or a LabError
    _every_method_measured(data)
    _pyperfs_files_kept(data, out)
    _machine_build_and_load_named(data)
    _ratios_and_caveat_shown(done.stdout)
    _page_self_contained(data, (out / "bench.html").read_text(encoding="utf-8"))


def _every_method_measured(data):
    methods = [m for m in ("fork", "spawn", "forkserver") if m in data["pythons"][0]["methods"]]
    got = {(r["measure"], r["method"]) for r in data["results"]}
    assert {(m, method) for m in MEASURED for method in methods} <= got


def _pyperfs_files_kept(data, out):
    for r in data["results"]:
        names = [b.get_name() for b in pyperf.BenchmarkSuite.load(str(out / r["raw"]))]
        assert r["measure"] in names
        assert r["n"] >= 2 and r["std"] is not None


def _machine_build_and_load_named(data):
    assert data["machine"]["cores"] == os.cpu_count() and data["machine"]["cpu_model"]
    py = data["pythons"][0]
    assert py["version"] == "{}.{}.{}".format(*sys.version_info[:3])
    assert py["build"] and py["problems"] == []
    if hasattr(os, "getloadavg"):
        assert len(py["load_before"]) == 3 and len(py["load_after"]) == 3


def _ratios_and_caveat_shown(stdout):
    assert re.search(r"\d\s*×", stdout) and "×fork" in stdout, stdout
    assert "only ratios measured in one run compare" in stdout


def _page_self_contained(data, html):
    assert not page.has_remote_reference(html)
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert html.count("<svg") == len(MEASURED)
    assert data["machine"]["cpu_model"] in html and "Read ratios, not times" in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "two charts share an element id"


def test_render_draws_a_saved_summary_again(tmp_path):
    saved = tmp_path / "bench.json"
    saved.write_text(json.dumps(GOOD), encoding="utf-8")
    done = mplab("bench", "--render", str(saved))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "bench.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "20×" in html


def bench_error(*args: str) -> str:
    """The one line `mplab bench ARGS` ends with, asked in-process (cli.main prints it)."""
    parsed = cli.build_parser().parse_args(["bench", *args])
    with pytest.raises(LabError) as caught:
        cli.COMMANDS["bench"](parsed)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_bad_python_is_one_line_exit_2_and_nothing_starts(tmp_path):
    out = tmp_path / "out"
    done = mplab("bench", "--python", "3.99", "--out", str(out))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("mplab: error: no Python 3.99") and done.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(("python", "message"), [
    ("/no/such/python", "no Python at"),
    ("not-a-python-command", "no Python at"),
    (__file__, "cannot run Python"),  # a file, not a program
])
def test_a_python_that_is_not_one_is_refused_before_anything(tmp_path, python, message):
    out = tmp_path / "out"
    assert message in bench_error("--python", python, "--out", str(out))
    assert not out.exists()


@pytest.mark.parametrize("version", ["3", "three", "3.14.1"])
def test_a_bad_chroot_version_is_refused(tmp_path, version):
    assert "bad --chroot-python" in bench_error("--chroot-python", version, "--out",
                                                str(tmp_path / "out"))


def test_a_chroot_run_outside_the_checkout_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "inside the lab's checkout" in bench_error("--chroot-python", "3.14", "--out",
                                                      str(tmp_path / "out"))


def test_an_out_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "is a file" in bench_error("--out", str(tmp_path / "file"))


GOOD = {
    "format": "mplab-bench", "version": 1, "created": "2026-01-02T03:04:05Z", "mode": "quick",
    "mode_note": "", "machine": {"cores": 2, "cpu_model": "cpu", "system": "Linux",
                                 "platform": "Linux"},
    "measures": [{"id": "process_next", "title": "t", "unit": "second", "group": "start",
                  "what": "w"}],
    "pythons": [{"label": "py3.12.1", "version": "3.12.1", "build": "pyenv",
                 "implementation": "CPython", "executable": "/x", "where": "local",
                 "default_method": "fork", "methods": ["fork", "spawn"],
                 "load_before": [1.0, 1.0, 1.0], "load_after": None, "seconds": 1.0,
                 "problems": []}],
    "results": [{"python": "py3.12.1", "measure": "process_next", "method": "spawn",
                 "case": None, "unit": "second", "mean": 0.05, "std": 0.01, "n": 3,
                 "ratio_to_fork": 20.0, "raw": "bench-raw/py3.12.1/process_next-spawn.json"}],
}


def _broken(path: str, value):
    data = copy.deepcopy(GOOD)
    *parents, last = path.split("/")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[last] = value
    return data


def test_the_good_summary_is_accepted():
    assert summary.check(copy.deepcopy(GOOD))


@pytest.mark.parametrize(("path", "value", "where"), [
    ("results/0/method", "vfork", "results/0/method"),
    ("results/0/mean", -1.0, "results/0/mean"),
    ("results/0/ratio_to_fork", 0, "results/0/ratio_to_fork"),
    ("pythons/0/load_before", [1.0], "pythons/0/load_before"),
    ("machine/cores", 0, "machine/cores"),
    ("mode", "sloppy", "mode"),
    ("version", 2, "version"),
])
def test_the_schema_refuses_a_summary_that_is_wrong(path, value, where):
    with pytest.raises(LabError, match=re.escape(f"at {where}:")):
        summary.check(_broken(path, value))


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (json.dumps({"format": "mplab-bench"}).encode(), "is not an mplab bench summary"),
    (json.dumps(_broken("results/0/n", 0)).encode(), "at results/0/n"),
])
def test_a_malformed_summary_is_refused_in_one_line(tmp_path, content, message):
    bad = tmp_path / "bench.json"
    bad.write_bytes(content)
    assert message in bench_error("--render", str(bad))
    assert not (tmp_path / "bench.html").exists()


def test_render_of_a_malformed_summary_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bench.json"
    bad.write_text("[]", encoding="utf-8")
    done = mplab("bench", "--render", str(bad))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"mplab: error: {bad} is not an mplab bench summary: at (top): [] is not of type "
        "'object'"]


def test_render_of_a_missing_summary_is_refused(tmp_path):
    assert "cannot read" in bench_error("--render", str(tmp_path / "none.json"))


def test_the_runners_overhead_is_planned_under_mplabs_python_only():
    here = Interpreter(sys.executable, "{}.{}.{}".format(*sys.version_info[:3]))
    other = Interpreter("/elsewhere/python3", "3.12.1")
    chosen = measures.selected(["start", "runner"])
    mode = measures.MODES["quick"]
    mine, theirs = targets.local_targets([here, other])
    assert any(j["script"] == "runner_overhead.py" for j in targets.plan(mine, chosen, mode))
    assert not any(j["script"] == "runner_overhead.py"
                   for j in targets.plan(theirs, chosen, mode))
    # memory.py gives USS and PSS in one run per start method
    assert sum(j["script"] == "memory.py" for j in targets.plan(theirs, chosen, mode)) == 3


def test_the_report_links_the_bench_page_only_when_it_is_beside(tmp_path):
    from test_report import doc, put

    put(tmp_path, "a", doc())
    matrix = merge.merge([tmp_path])
    html_path = tmp_path / "mplab-report.html"
    assert page.bench_link(html_path) is None
    assert 'id="bench-link"' not in report.render_html(matrix)
    (tmp_path / page.PAGE).write_text("<html></html>", encoding="utf-8")
    assert page.bench_link(html_path) == "bench.html"
    assert 'href="bench.html"' in report.render_html(matrix, page.bench_link(html_path))


LEAVES_A_CHILD = """\
import os, sys, time
if os.fork() == 0:
    os.setsid()
    time.sleep(60)
    os._exit(0)
print("parent done")
"""


def test_the_runner_logs_each_run_when_asked(tmp_path, monkeypatch):
    program = tmp_path / "hello.py"
    program.write_text("print('hello')\n", encoding="utf-8")
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv(contract.RUN_LOG, str(log))
    runner.run_file(str(program), runner.Settings(start_method="spawn"))
    runner.run_file(str(program), runner.Settings(start_method="spawn"))
    runs = suite.distinct_runs(log)
    assert len(runs) == 1 and runs[0][1] == 2
    assert runs[0][0]["argv"][-1] == str(program) and runs[0][0]["start_method"] == "spawn"


@pytest.mark.skipif(not LINUX, reason="a detached child is contained by the subreaper: Linux")
def test_a_bare_rerun_leaves_nothing_running(tmp_path):
    program = tmp_path / "leaves.py"
    program.write_text(LEAVES_A_CHILD, encoding="utf-8")
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    seconds = suite.run_bare({"argv": [sys.executable, str(program)], "cwd": None,
                              "start_method": None, "stdout": "pipe", "time_scale": 1.0,
                              "time_limit": 30.0})
    assert seconds > 0
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert left == []
    sleepers = [p for p in psutil.process_iter(["cmdline"])
                if str(program) in " ".join(p.info["cmdline"] or [])]
    assert sleepers == []


SUITE = textwrap.dedent("""\
    import sys
    from lab import runner
    for method in ("fork", "spawn", "fork"):
        obs = runner.run_file(sys.argv[1], runner.Settings(start_method=method))
        assert obs.outcome == "ok", obs.summary()
""")


def test_the_suite_is_compared_with_the_floor_of_its_distinct_runs(tmp_path):
    program = tmp_path / "hello.py"
    program.write_text("print('hello')\n", encoding="utf-8")
    command = [sys.executable, "-c", SUITE, str(program)]
    code = suite.run_suite(ROOT, tmp_path / "out", command=command)
    assert code == 0
    result = json.loads((tmp_path / "out" / "suite.json").read_text(encoding="utf-8"))
    assert result["program_runs"] == 3 and result["distinct_runs"] == 2
    assert result["rerun"] == 2 and result["floor"] > 0 and result["ratio"] > 0
    assert result["cores"] == os.cpu_count()


def test_the_suite_is_timed_in_the_environment_tox_gives_it():
    shell = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "PATH": "/bin", "CI": "true"}
    assert suite.suite_env(shell) == {"PATH": "/bin", "CI": "true", "PYTHONUTF8": "1"}
