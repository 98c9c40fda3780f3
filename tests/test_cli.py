"""Specs of the mplab command, run as a user runs it: a real process, its exit code, its lines."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hanging import until_ready


def mplab(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run mplab; if this spec is stopped (Ctrl-C, pytest-timeout), interrupt mplab and let it
    clean up its run instead of killing it (a killed mplab leaves its example's tree behind)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lab", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )
    try:
        out, err = proc.communicate(timeout=120)
    except BaseException:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT if sys.platform != "win32" else signal.SIGTERM)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot start with fork")
def test_run_json_is_an_observation():
    done = mplab("run", "random_state", "--start-method", "fork", "--json")
    obs = json.loads(done.stdout)
    assert obs["example"] == "random_state" and obs["exit_code"] == 0 and len(obs["stdout"]) == 2
    assert [r["role"] for r in obs["relations"]] == ["root", "child of root"]


def test_run_shows_the_page_beside_the_run():
    done = mplab("run", "process_join", "--time-scale", "0")
    assert done.returncode == 0, done.stderr
    assert "Process will start." in done.stdout and "agrees with the page" in done.stdout


def test_console_script_and_module_agree():
    # The script sits beside this interpreter's other scripts, on PATH or not (a venv not
    # activated).
    script_dir = sysconfig.get_path("scripts")
    exe = shutil.which("mplab", path=script_dir) or shutil.which("mplab")
    assert exe, f"no mplab script in {script_dir} or on PATH"
    script = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert script.stdout == mplab("--version").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "nope"], "unknown example 'nope'"),
        (["run", "pool", "--start-method", "threads"], "unknown start method 'threads'"),
        (["run", "pool", "--time-scale", "fast"], "bad time scale 'fast'"),
        (["run", "pool", "--time-scale", "-2"], "bad time scale -2"),
        (["run", "pool", "--timeout", "0"], "bad timeout 0"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(args, message):
    done = mplab(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no fork(), so no C example")
def test_missing_c_compiler_is_one_line():
    done = mplab("run", "fork_c", env={"CC": "", "PATH": os.path.dirname(sys.executable)})
    assert done.returncode == 2
    assert "no C compiler found" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_list_names_every_example():
    done = mplab("list")
    assert done.returncode == 0
    for name in ("process_join", "random_state", "pool", "queue_pair", "os_fork"):
        assert name in done.stdout


def test_claims_lists_one_line_per_claim_with_its_kind_and_verdict():
    from lab.ledger import claims

    done = mplab("claims")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(claims())
    for line in lines:
        claim_id, kind, verdict, title = line.split(maxsplit=3)
        claim = claims()[claim_id]
        assert kind == ("catalog" if claim.kind == "catalog" else "page")
        assert (verdict, title) == (claim.verdict, claim.gloss)


@pytest.mark.parametrize("kind", ["page", "catalog"])
def test_claims_of_one_kind(kind):
    from lab.ledger import claims

    done = mplab("claims", "--kind", kind)
    assert done.returncode == 0, done.stderr
    kinds = {line.split()[1] for line in done.stdout.splitlines()}
    assert kinds == {kind}
    assert len(done.stdout.splitlines()) == sum(
        (c.kind == "catalog") == (kind == "catalog") for c in claims().values())


def _on_a_terminal(args: list[str], columns: int) -> tuple[int, list[str]]:
    """Run mplab with a pseudo-terminal as stdout, ``columns`` wide."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lab", *args], stdout=follower,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": str(columns),
                                 "PYTHONIOENCODING": "utf-8"})
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    proc.communicate(timeout=120)
    return proc.returncode, out.decode("utf-8").splitlines()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("columns", [50, 100])
def test_claims_fit_a_narrow_terminal(columns):
    from lab.ledger import claims

    code, lines = _on_a_terminal(["claims"], columns)
    assert code == 0
    assert max(map(len, lines)) <= columns
    assert " ".join(" ".join(lines).split()).count("context has already been set") == sum(
        "context has already been set" in c.gloss for c in claims().values())


def test_claims_end_quietly_on_a_closed_pipe():
    proc = subprocess.Popen([sys.executable, "-m", "lab", "claims"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    proc.stdout.close()  # the reader is gone before mplab writes its first line
    proc.stdout = None  # so communicate() reads stderr only (on Windows it reads in threads)
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (1, "")


def test_a_hanging_program_times_out_in_one_line():
    done, timeout = until_ready(
        lambda timeout: mplab("run", "probe:hang", "--start-method", "spawn", "--timeout",
                              f"{timeout:g}"),
        ready=lambda done: "started" in done.stdout)
    assert done.returncode == 1
    assert "started" in done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith(
        f"mplab: probe:hang timed out after {timeout:g} s")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_crashing_program_fails_in_one_line():
    done = mplab("run", "probe:crash")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == ("mplab: probe:crash exited with code 1: "
                    "RuntimeError: this probe fails on purpose")


@pytest.mark.parametrize("name", ["nope", "_path", "../examples/pool", "/etc/passwd"])
def test_unknown_probe_is_refused(name):
    done = mplab("run", f"probe:{name}")
    assert done.returncode == 2 and f"unknown probe {name!r}: choose one of" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_program_file_runs_under_the_lab(tmp_path):
    program = tmp_path / "mine.py"
    program.write_text("import sys\nprint('mine', sys.argv[0].endswith('mine.py'))\n",
                       encoding="utf-8")
    done = mplab("run", str(program))
    assert (done.returncode, done.stdout, done.stderr) == (0, "mine True\n", "")


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "missing.py", "no such program file"),
    (lambda p: p, "is not a file"),
    (lambda p: (p / "b.py").write_bytes(b"\x7fELF\0\0") and p / "b.py", "is not a Python program"),
])
def test_a_bad_program_file_is_one_line_and_exit_2(tmp_path, make, message):
    done = mplab("run", str(make(tmp_path)))
    assert done.returncode == 2 and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_output_cap_is_a_run_option(tmp_path):
    program = tmp_path / "loud.py"
    # Bytes, so that each line is 100 bytes on every platform (print writes "\r\n" on Windows).
    program.write_text("import sys\nsys.stdout.buffer.write(b'z' * 99 + b'\\n' + b'z' * 99 "
                       "+ b'\\n')\n", encoding="utf-8")
    done = mplab("run", str(program), "--max-output", "100B")
    assert done.returncode == 0 and done.stdout == "z" * 99 + "\n"
    assert done.stderr.strip().endswith("stdout cut: 100 byte(s) past the cap dropped")


def test_report_of_nothing_usable_is_one_line(tmp_path):
    (tmp_path / "mplab-results-x.json").write_text("{", encoding="utf-8")
    done = mplab("report", str(tmp_path), "--html", str(tmp_path / "r.html"))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert "not JSON" in lines[0] and "no results file could be merged" in lines[-1]


def results_file(path) -> str:
    """A small valid results file: one run on Linux, one spec of claim C12."""
    path.write_text(json.dumps({
        "schema": "mplab-results", "version": 1, "created": "2026-11-29T00:00:00Z",
        "run": {"platform": "linux", "platform_name": "Linux", "python": "3.12.1",
                "implementation": "CPython", "start_methods": ["fork", "spawn", "forkserver"],
                "default_start_method": "fork"},
        "specs": [{"nodeid": "t.py::t[fork]", "claim": "C12", "start_method": "fork",
                   "outcome": "passed"}],
    }), encoding="utf-8")
    return str(path)


def contents(folder) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{good}", "--html", "{good}"], "--html {good} is also an input"),
        (["{tmp}", "--markdown", "{good}", "--html", "{tmp}/r.html"],
         "--markdown {good} is also an input"),
        (["{good}", "--html", "{tmp}/./mplab-results-good.json"], "is also an input"),
        pytest.param(["{tmp}", "--html", "{tmp}/link.json"],
                     "--html {tmp}/link.json is also an input",
                     marks=pytest.mark.skipif(sys.platform == "win32",
                                              reason="symbolic links need a privilege there")),
        (["{good}", "--markdown", "{tmp}/same", "--html", "{tmp}/same"],
         "--markdown and --html are both {tmp}/same"),
    ],
)
def test_report_never_writes_over_an_input(tmp_path, args, message):
    good = results_file(tmp_path / "mplab-results-good.json")
    if sys.platform != "win32":
        os.symlink(good, tmp_path / "link.json")
    before = contents(tmp_path)
    words = {"good": good, "tmp": str(tmp_path)}
    line = one_error_line(mplab("report", *(a.format(**words) for a in args)))
    # The command shows paths as the platform writes them.
    assert line.startswith("mplab: error: ")
    assert message.format(**words).replace("/", os.sep) in line
    assert contents(tmp_path) == before


@pytest.mark.parametrize("size", ["-5", "0", "10", "1023", "1k", "2.5"])
def test_report_refuses_a_size_too_small_for_the_table(tmp_path, size):
    good = results_file(tmp_path / "mplab-results-good.json")
    line = one_error_line(mplab("report", good, "--max-markdown-bytes", size,
                                "--html", str(tmp_path / "r.html")))
    assert "argument --max-markdown-bytes: bad size" in line
    assert "whole number of bytes, 1024 or more" in line
    assert not (tmp_path / "r.html").exists()


def test_report_says_what_it_merged_and_what_it_skipped(tmp_path):
    good = results_file(tmp_path / "mplab-results-good.json")
    broken = tmp_path / "mplab-results-broken.json"
    broken.write_text("{", encoding="utf-8")
    md, html = tmp_path / "out" / "r.md", tmp_path / "out" / "r.html"
    done = mplab("report", str(tmp_path), good, "--max-markdown-bytes", "1024",
                 "--markdown", str(md), "--html", str(html))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"mplab: skipped {broken}: not JSON")
    assert lines[1:] == [
        f"mplab: skipped {good}: given twice, merged once",
        f"mplab: 1 results file(s) merged, 2 skipped; Markdown: {md}; HTML: {html}",
    ]
    assert "1 results file(s) merged" in md.read_text(encoding="utf-8")
    assert len(md.read_bytes()) <= 1024 and html.is_file()


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("{tmp}/blocker/r.html", "{tmp}/blocker is not a folder"),
        ("{tmp}/blocker/deeper/r.html", "{tmp}/blocker is not a folder"),
        ("{tmp}/afolder", "it is a folder"),
        pytest.param("{tmp}/" + "x" * 300 + ".html", "the name is too long",
                     marks=pytest.mark.skipif(sys.platform == "win32", reason="POSIX names")),
    ],
)
@pytest.mark.parametrize("option", ["--html", "--markdown"])
def test_report_to_an_unwritable_place_is_one_line(tmp_path, option, output, reason):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / "afolder").mkdir()
    good = results_file(tmp_path / "mplab-results-good.json")
    other = "--markdown" if option == "--html" else "--html"
    before = contents(tmp_path)
    where = output.format(tmp=tmp_path)
    line = one_error_line(mplab("report", good, option, where,
                                other, str(tmp_path / "fine" / "r.out")))
    reason = reason.format(tmp=tmp_path).replace("/", os.sep)
    assert line == f"mplab: error: cannot write {Path(where)}: {reason}"
    assert contents(tmp_path) == before  # the other output, which could be written, is not
