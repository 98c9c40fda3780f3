"""Running one example as a reader would, in a fresh interpreter, and observing what it did.

The runner sets the example's whole environment itself (start method, output buffering, time
scale, where to report), so that what the machine exports (``PYTHONUNBUFFERED``, say) cannot
change what forked processes print. Every process the run creates ends with it
(lab/proctree.py), its output is read into bounded buffers (lab/capture.py), and only its own
processes' reports count (lab/records.py).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from lab import ccompiler, contract, proctree, records
from lab.capture import Capture
from lab.catalog import Example
from lab.errors import Interrupted, LabError
from lab.observation import Observation
from lab.platforms import check_start_method
from lab.records import Record

__all__ = ["Observation", "Record", "RunInterrupted", "Settings", "run", "run_file", "run_probe",
           "run_program"]

STDOUT_MODES = ("pipe", "terminal")
DEFAULT_TIMEOUT = 60.0
DEFAULT_TIME_SCALE = 0.05
DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024  # bytes kept per stream
SCAN_INTERVAL = 0.05  # seconds between looks for the run's processes
LEFTOVER_GRACE = 3.0  # seconds a process may take to exit by itself once the run has ended


@dataclass(frozen=True)
class Settings:
    """How to run an example. ``start_method=None`` leaves the platform's default in place."""

    start_method: str | None = None
    stdout: str = "pipe"  # "pipe": block-buffered, as output to a pipe; "terminal": line-buffered
    time_scale: float = DEFAULT_TIME_SCALE
    timeout: float = DEFAULT_TIMEOUT
    python: str = sys.executable
    max_output_bytes: int = DEFAULT_MAX_OUTPUT
    leftover_grace: float = LEFTOVER_GRACE  # a spec that expects a leftover need not wait long

    def program_settings(self, report_dir: str | None) -> contract.ProgramSettings:
        """What the program itself is told (lab/contract.py); the rest is the runner's."""
        return contract.ProgramSettings(start_method=self.start_method, stdout=self.stdout,
                                        time_scale=self.time_scale, report_dir=report_dir)

    def validated(self) -> Settings:
        check_start_method(self.start_method)
        if self.stdout not in STDOUT_MODES:
            raise LabError(f"unknown stdout mode {self.stdout!r}: choose pipe or terminal")
        if not (math.isfinite(self.time_scale) and 0 <= self.time_scale <= 100):
            raise LabError(
                f"bad time scale {self.time_scale!r}: give a number from 0 to 100 "
                "(1 reproduces the page's sleeps)"
            )
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise LabError(f"bad timeout {self.timeout!r}: give a positive number of seconds")
        if not (math.isfinite(self.leftover_grace) and self.leftover_grace >= 0):
            raise LabError(f"bad leftover grace {self.leftover_grace!r}: give seconds, 0 or more")
        if not (isinstance(self.max_output_bytes, int) and self.max_output_bytes >= 0):
            raise LabError(f"bad output cap {self.max_output_bytes!r}: give a number of bytes")
        return self


def example_env(settings: Settings, report_dir: str | None) -> dict[str, str]:
    """The example's environment: this one without Python's or the lab's variables, plus the
    lab's for this run (lab/contract.py)."""
    env = {k: v for k, v in contract.without_lab(os.environ).items()
           if not k.upper().startswith("PYTHON")}
    env.update(PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    env.update(settings.program_settings(report_dir).to_env())
    return env


def command_for(example: Example, settings: Settings) -> list[str]:
    if example.kind == "c":
        return [str(ccompiler.compile_c(example.path))]
    return [settings.python, str(example.path)]


def run(example: Example, settings: Settings | None = None) -> Observation:
    """Run ``example`` to its end or its timeout; never leaves a process behind."""
    settings = (settings or Settings()).validated()
    if example.kind == "c" or not example.multiprocessing:
        settings = replace(settings, start_method=None)  # it calls fork() itself
    return run_program(example.name, command_for(example, settings), settings)


def run_program(name: str, argv: list[str], settings: Settings,
                cwd: str | None = None) -> Observation:
    """Run any program under the lab's rules (examples, probes and a user's files alike).

    Every process the run creates is one of the run's, however it detaches; none outlives the
    run. On any exception (Ctrl-C, a signal, pytest-timeout) the tree is killed first; a
    KeyboardInterrupt comes back as RunInterrupted, which carries the output so far.
    """
    with proctree.subreaper(), tempfile.TemporaryDirectory(prefix="mplab-report-") as report:
        records.check_private(report, "report folder")  # mkdtemp makes it 0700
        procs = proctree.RunProcesses()
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=example_env(settings, report), cwd=cwd or report,
                **proctree.isolation_kwargs(),
            )
        except OSError as exc:
            raise LabError(f"cannot start {argv[0]}: {exc.strerror}") from None
        assert proc.stdout is not None and proc.stderr is not None
        capture = Capture(proc.stdout, proc.stderr, settings.max_output_bytes)
        run = _Run(name, argv, settings, proc, procs, capture, Path(report), started)
        try:
            procs.started(proc.pid)
            run.wait()
        except BaseException as exc:  # KeyboardInterrupt, a signal, pytest-timeout
            run.finish(interrupted=True)
            if isinstance(exc, KeyboardInterrupt):
                signum = getattr(exc, "signum", signal.SIGINT)
                raise RunInterrupted(run.observation(), signum) from None
            raise
        run.finish(interrupted=False)
        _log_run(run, cwd)
        return run.observation()


def _log_run(run: _Run, cwd: str | None) -> None:
    """One JSON line per run into the file ``contract.RUN_LOG`` names, if set: what
    ``python -m lab.benchmark --suite`` runs again bare to find the suite's floor. One write per
    line, appended, so the suite's parallel workers cannot interleave within a line."""
    log = contract.run_log()
    if log is None:
        return
    line = json.dumps({"name": run.name, "argv": run.argv, "cwd": cwd,
                       "start_method": run.settings.start_method, "stdout": run.settings.stdout,
                       "time_scale": run.settings.time_scale, "time_limit": run.settings.timeout,
                       "wall": round(run.wall, 4), "timed_out": run.timed_out})
    with contextlib.suppress(OSError):
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)


class _Run:
    """One run in progress: waits for its end or its timeout, then kills what is left of it."""

    def __init__(self, name: str, argv: list[str], settings: Settings, proc: subprocess.Popen,
                 procs: proctree.RunProcesses, capture: Capture, report: Path,
                 started: float) -> None:
        self.name, self.argv, self.settings = name, argv, settings
        self.proc, self.procs, self.capture, self.report = proc, procs, capture, report
        self.started = started
        self.wall = 0.0
        self.timed_out = False
        self.killed: list[int] = []
        self.leftovers: list[tuple[int, str]] = []

    def wait(self) -> None:
        """Until the root has exited and its pipes are closed (then a short grace for the rest
        of the tree to exit by itself), or the timeout."""
        deadline = self.started + self.settings.timeout
        while True:
            self.procs.scan()
            if self.proc.poll() is not None and self.capture.at_eof():
                break
            left = deadline - time.perf_counter()
            if left <= 0:
                self.timed_out = True
                break
            if self.capture.at_eof():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(min(SCAN_INTERVAL, left))
            else:
                self.capture.stdout.eof.wait(min(SCAN_INTERVAL, left))
                if self.capture.stdout.eof.is_set():
                    self.capture.stderr.eof.wait(min(SCAN_INTERVAL, left))
        self.wall = time.perf_counter() - self.started
        if self.timed_out:
            return
        grace_end = time.perf_counter() + self.settings.leftover_grace  # a resource tracker, say
        while self.procs.alive() and time.perf_counter() < grace_end:
            time.sleep(0.01)
            self.procs.scan()

    def finish(self, interrupted: bool) -> None:
        """Note what of the run is still alive and should not be, kill it all, stop reading."""
        self.procs.scan()
        alive = self.procs.alive()
        if self.timed_out or interrupted:
            # The tree is expected to be running; what left its process group had escaped.
            self.wall = self.wall or time.perf_counter() - self.started
            alive = [p for p in alive if self.procs.detached(p)]
        self.leftovers = [(p.pid, proctree.command_of(p)) for p in alive]
        self.killed = self.procs.kill(self.proc)
        self.capture.stop()

    def observation(self) -> Observation:
        kept, rejected = records.read(self.report, self.procs.pids(), self.procs.pids_before)
        out, err = self.capture.stdout, self.capture.stderr
        ended_by_itself = not self.timed_out and self.proc.pid not in self.killed
        return Observation(
            example=self.name, argv=self.argv, start_method=self.settings.start_method,
            stdout_mode=self.settings.stdout, time_scale=self.settings.time_scale,
            stdout=out.text(), stderr=err.text(),
            exit_code=self.proc.returncode if ended_by_itself else None,
            timed_out=self.timed_out, timeout=self.settings.timeout, wall_time=self.wall,
            root_pid=self.proc.pid, records=kept, killed=self.killed,
            leftovers=[pid for pid, _ in self.leftovers],
            leftover_commands=[cmd for _, cmd in self.leftovers],
            stdout_dropped_bytes=out.dropped, stderr_dropped_bytes=err.dropped,
            rejected_records=rejected, seen_pids=sorted(self.procs.pids()),
        )


class RunInterrupted(Interrupted):
    """A run stopped by Ctrl-C or a signal, after its tree was killed; carries what it did."""

    def __init__(self, observation: Observation, signum: int) -> None:
        super().__init__(signum)
        self.observation = observation


@cache
def interpreter_info(python: str = sys.executable) -> dict[str, Any]:
    """Version, platform and start methods of an interpreter, asked of the interpreter itself."""
    code = (
        "import json, multiprocessing as m, platform, sys;"
        "print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3],"
        "'implementation': platform.python_implementation(), 'platform': sys.platform,"
        "'default_method': m.get_start_method(), 'methods': m.get_all_start_methods(),"
        "'executable': sys.executable}))"
    )
    try:
        done = subprocess.run(
            [python, "-c", code], capture_output=True, text=True, timeout=60, env=example_env(
                Settings(), tempfile.gettempdir()
            )
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(f"cannot run the interpreter {python}: {exc}") from None
    if done.returncode != 0:
        raise LabError(f"the interpreter {python} failed: {done.stderr.strip()[-200:]}")
    return json.loads(done.stdout)


def run_probe(name: str, settings: Settings | None = None) -> Observation:
    """Run a lab-written probe (lab/probes/NAME.py) under the same rules as an example."""
    from lab.catalog import probe

    settings = (settings or Settings()).validated()
    return run_program(f"probe:{name}", [settings.python, str(probe(name))], settings)


# Runs a user's program file as __main__, with the start method the runner was asked for. A
# spawn or forkserver child finds the program again through __main__.__file__, which
# runpy.run_path sets to the program's path; such a child takes the start method from the
# parent's preparation data, so the program's code is never edited. "terminal" makes stdout and
# stderr line-buffered, as in a terminal (a forked child inherits that; others flush at exit).
_BOOTSTRAP = f"""\
import multiprocessing, os, runpy, signal, sys
path = sys.argv[1]
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:  # as a terminal (lab/examples/_lab_hook.py)
    signal.signal(signal.SIGINT, signal.default_int_handler)
if os.environ.get({contract.STDOUT!r}) == "terminal":
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
method = os.environ.pop({contract.START_METHOD!r}, None)
if method:
    multiprocessing.set_start_method(method)
    def _forced(wanted, force=False):
        if wanted != method:
            print("mplab: note: the program asked for start method %r; %r is forced"
                  % (wanted, method), file=sys.stderr, flush=True)
    multiprocessing.set_start_method = _forced
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(path))
runpy.run_path(path, run_name="__main__")
"""


def check_program_file(path: str) -> Path:
    """``path`` as a Python program file, or a LabError that says what it is instead."""
    file = Path(path)
    if not file.exists():
        raise LabError(f"no such program file: {path}")
    if not file.is_file():
        raise LabError(f"{path} is not a file: give a Python program (.py)")
    try:
        head = file.read_bytes()[:65536]
        if b"\0" in head:
            raise ValueError
        head.decode("utf-8")
    except (ValueError, OSError):
        raise LabError(f"{path} is not a Python program (binary or not UTF-8 text)") from None
    return file.resolve()


def run_file(path: str, settings: Settings | None = None,
             args: tuple[str, ...] | list[str] = ()) -> Observation:
    """Run a user's own program file as __main__ of a fresh interpreter, under the lab's rules;
    ``args`` become its sys.argv[1:]."""
    settings = (settings or Settings()).validated()
    file = check_program_file(path)
    argv = [settings.python, "-c", _BOOTSTRAP, str(file), *args]
    return run_program(path, argv, settings, cwd=os.getcwd())
