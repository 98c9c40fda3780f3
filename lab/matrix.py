"""``mplab matrix``: run every spec under each Python given, and show the merged matrix.

Each Python runs the specs in its own virtual environment (lab/venvs.py) with pytest and xdist,
writing a results file; the results of this run are then merged exactly as CI merges its cells.
The terminal ends with one count line per Python, and any Python whose pytest could not run,
collect or finish gets one line that names its log, so a short table is never taken for a pass.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psutil
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lab import contract, merge, proctree, report, results, terminal, venvs
from lab.bench.page import bench_link
from lab.errors import LabError
from lab.interpreters import Interpreter

SPEC_TIMEOUT = 30 * 60  # seconds for one Python's whole run of the specs
INTERRUPT_GRACE = 60.0  # seconds pytest gets to stop its workers and write its files
PYTEST_EXIT = {2: "was interrupted or could not collect every spec", 3: "hit an internal error",
               4: "was called wrongly", 5: "collected no spec"}


@dataclass
class PythonRun:
    """One Python's run of the specs: where its files go and how it ended."""

    interp: Interpreter
    label: str
    results: Path
    junit: Path
    log: Path
    exit_code: int | None = None
    problem: str | None = None  # one line, when pytest did not run to a verdict

    def counts(self) -> dict[str, int] | None:
        """passed, failed, skipped and errors, from the JUnit XML; None when there is none."""
        try:
            root = ElementTree.parse(self.junit).getroot()
        except (OSError, ElementTree.ParseError):
            return None
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        total = {k: sum(int(s.get(k, 0)) for s in suites)
                 for k in ("tests", "failures", "errors", "skipped")}
        return {"passed": total["tests"] - total["failures"] - total["errors"] - total["skipped"],
                "failed": total["failures"], "skipped": total["skipped"],
                "errors": total["errors"]}

    def count_line(self) -> str:
        counts = self.counts()
        head = f"Python {self.interp.version}: "
        if counts is None:
            return head + "no results" + ("" if self.problem else " (pytest wrote no JUnit XML)")
        return head + ", ".join(f"{n} {k}" for k, n in counts.items())

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.problem is None


def checkout_root(start: Path | None = None) -> Path:
    """The lab's source checkout (it holds the specs), found from the working folder up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "tests" / "conftest.py").is_file() and (folder / "pyproject.toml").is_file():
            return folder
    raise LabError(
        "no checkout of the lab here: run `mplab matrix` from the lab's source folder "
        "(it holds tests/ and pyproject.toml)"
    )


def _pytest_env() -> dict[str, str]:
    """The environment of mplab's pytest runs: results go where the command line says, never
    into a results folder this environment may name (a CI cell's, when specs run mplab)."""
    env = dict(os.environ)
    env.pop(contract.RESULTS_DIR, None)
    return env


def _first_error(log: Path) -> str:
    """The first line of pytest's log that says what went wrong, for a one-line message."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    for prefix in ("E   ", "ERROR ", "INTERNALERROR>", "Interrupted:"):
        for line in lines:
            if line.startswith(prefix):
                return line.strip()[:200]
    return ""


def _stop(proc: subprocess.Popen) -> None:
    """Interrupt pytest as Ctrl-C in its terminal would, then wait for its whole tree; kill what
    is left after the grace time.

    The tree is taken before the signal: pytest's controller can exit before its workers have
    killed the programs they run, and a worker whose controller is gone is no longer its child.
    """
    try:  # pytest's descendants; pytest itself is waited for by its Popen, for its exit code
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            proc.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # the controller and its workers, as a terminal
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=INTERRUPT_GRACE)
    if proc.poll() is None:
        proc.kill()
    for p in proctree.wait_gone(family, INTERRUPT_GRACE):
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    proc.wait()


def _pytest(run: PythonRun, python: str, tests: Path, progress: Progress) -> None:
    """Run the specs under ``python`` into ``run``'s files, with a progress bar."""
    task = progress.add_task(f"Python {run.interp.version}", total=None)
    with tempfile.TemporaryDirectory() as tmp:
        progress_file = Path(tmp) / "progress"
        progress_file.touch()
        env = {**_pytest_env(), contract.PROGRESS_FILE: str(progress_file)}
        cmd = [python, "-m", "pytest", str(tests), "-n", "auto", "-q", "-p", "no:cacheprovider",
               "--mplab-results", str(run.results), "--mplab-label", run.label,
               "--junitxml", str(run.junit)]
        # A session of its own: a Ctrl-C reaches mplab, which passes it on and then reports.
        isolation = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
                     if sys.platform == "win32" else {"start_new_session": True})
        with run.log.open("w", encoding="utf-8") as log:
            proc = subprocess.Popen(cmd, cwd=tests.parent, env=env, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    **isolation)
            try:
                deadline = time.monotonic() + SPEC_TIMEOUT
                while proc.poll() is None:
                    if time.monotonic() > deadline:
                        run.problem = f"pytest ran past {SPEC_TIMEOUT} s and was stopped"
                        _stop(proc)
                        break
                    progress.update(task, **_progress(progress_file))
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=0.2)
            except BaseException:
                _stop(proc)
                run.exit_code = proc.returncode
                raise
            run.exit_code = proc.wait()
        progress.update(task, **_progress(progress_file))
    errors = (run.counts() or {}).get("errors", 0)
    if run.problem is None and (run.exit_code not in (0, 1) or errors):
        what = PYTEST_EXIT.get(run.exit_code, f"exited with code {run.exit_code}") if (
            run.exit_code not in (0, 1)) else f"reported {errors} error(s)"
        detail = _first_error(run.log)
        run.problem = f"pytest {what}" + (f", the first: {detail}" if detail else "")


def run_matrix(pythons: list[Interpreter], out: Path, console: Console | None = None) -> int:
    """Run the specs under each Python into ``out``; the exit code of the whole run.

    On Ctrl-C (or SIGTERM/SIGHUP, which the CLI turns into the same), pytest is interrupted and
    waited for, the report of what did run is still written, and the interrupt goes on up.
    """
    console = console or Console()
    root = checkout_root()
    tests = root / "tests"
    out.mkdir(parents=True, exist_ok=True)
    earlier = sorted(out.glob("mplab-results-*.json"))
    runs: list[PythonRun] = []
    interrupted: BaseException | None = None
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            for interp in pythons:
                label = f"matrix-{sys.platform}-py{interp.version}"
                run = PythonRun(interp, label, results.default_path(out, label),
                                out / f"junit-{label}.xml", out / f"pytest-{label}.log")
                runs.append(run)
                try:
                    python = venvs.environment_for(interp, root, say=console.print)
                except LabError as exc:
                    run.problem = f"could not make its environment: {exc}"
                    continue
                _pytest(run, python, tests, progress)
    except KeyboardInterrupt as exc:
        interrupted = exc
    written = [r.results for r in runs if r.results.is_file()]
    if written:
        matrix = merge.merge(written)
        terminal.show(matrix, console, html=str(out / "mplab-report.html"))
        report.write(matrix, out / "mplab-report.md", out / "mplab-report.html",
                     bench_href=bench_link(out / "mplab-report.html"))
        console.print(f"results, JUnit XML, logs and the report are in [bold]{escape(str(out))}"
                      f"[/bold] (open {escape(str(out / 'mplab-report.html'))})", soft_wrap=True)
    if earlier:
        console.print(f"note: {out} already held {len(earlier)} results file(s) of earlier runs; "
                      f"this report leaves them out (`mplab report {out}` merges them all)",
                      highlight=False, markup=False, soft_wrap=True)
    for run in runs:  # one line each, however narrow the terminal: a log name must stay whole
        if run.problem:
            where = f"; see {run.log}" if run.log.is_file() else ""
            console.print(f"mplab: Python {run.interp.version}: {run.problem}{where}",
                          style="red", highlight=False, markup=False, soft_wrap=True)
    for run in runs:
        console.print(run.count_line(), highlight=False, markup=False, soft_wrap=True,
                      style="green" if run.ok else "red")
    if interrupted is not None:
        raise interrupted
    return 0 if runs and all(r.ok for r in runs) else 1


def _progress(path: Path) -> dict[str, int]:
    """What the plugin's progress file says: how many specs were collected, once known, and
    how many have finished (one line each)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    head = contract.PROGRESS_COLLECTED
    if lines and lines[0].startswith(head):
        return {"total": int(lines[0][len(head):]), "completed": len(lines) - 1}
    return {"completed": len(lines)}


def default_out() -> Path:
    return Path(f"mplab-results-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S')}")
