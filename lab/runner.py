"""Running one example as a reader would, in a fresh interpreter, and observing what it did.

The runner sets the example's whole environment itself (start method, output buffering, time
scale, where to report), so that what the machine exports (``PYTHONUNBUFFERED``, say) cannot
change what forked processes print.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from lab import ccompiler, proctree
from lab.catalog import Example
from lab.errors import LabError
from lab.platforms import check_start_method

STDOUT_MODES = ("pipe", "terminal")
DEFAULT_TIMEOUT = 60.0
DEFAULT_TIME_SCALE = 0.05

_SUBREAPER = proctree.become_subreaper()


@dataclass(frozen=True)
class Settings:
    """How to run an example. ``start_method=None`` leaves the platform's default in place."""

    start_method: str | None = None
    stdout: str = "pipe"  # "pipe": block-buffered, as output to a pipe; "terminal": line-buffered
    time_scale: float = DEFAULT_TIME_SCALE
    timeout: float = DEFAULT_TIMEOUT
    python: str = sys.executable

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
        return self


@dataclass(frozen=True)
class Record:
    """One fact an example reported through its hook (see lab/examples/_lab_hook.py)."""

    key: str
    value: Any
    pid: int
    ppid: int | None
    process: str
    seq: int
    mp_parent: int | None = None  # multiprocessing's parent_process(), which may not be ppid


@dataclass
class Observation:
    """What one run of an example did: its output, its exit, and the facts it reported."""

    example: str
    argv: list[str]
    start_method: str | None
    stdout_mode: str
    time_scale: float
    stdout: list[str]
    stderr: list[str]
    exit_code: int | None
    timed_out: bool
    timeout: float
    wall_time: float
    root_pid: int
    records: list[Record] = field(default_factory=list)
    killed: list[int] = field(default_factory=list)
    leftovers: list[int] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.timed_out:
            return "timeout"
        return "ok" if self.exit_code == 0 else "crashed"

    def values(self, key: str) -> list[Record]:
        return [r for r in self.records if r.key == key]

    def one(self, key: str) -> Record:
        found = self.values(key)
        if len(found) != 1:
            raise AssertionError(f"expected one {key!r} record, got {len(found)}: {found}")
        return found[0]

    def pids(self) -> set[int]:
        return {r.pid for r in self.records}

    def parent_of(self) -> dict[int, int | None]:
        """Each reporting process's parent pid, as the process itself saw it."""
        return {r.pid: r.ppid for r in self.records}

    def relations(self) -> list[dict[str, Any]]:
        """Each process that reported, with its OS parent and multiprocessing parent, by role.

        Roles: "root" (the program itself), "child of root", "child of <pid>" for deeper
        descendants, and the OS parent may differ from the multiprocessing parent (a fork
        server's children).
        """
        seen: dict[int, Record] = {}
        for r in self.records:
            seen.setdefault(r.pid, r)
        out = []
        for pid, r in sorted(seen.items()):
            logical = r.mp_parent if r.mp_parent is not None else r.ppid
            role = "root" if pid == self.root_pid else (
                "child of root" if logical == self.root_pid else f"child of {logical}")
            out.append({"pid": pid, "ppid": r.ppid, "mp_parent": r.mp_parent,
                        "process": r.process, "role": role})
        return out

    def leaked_resources(self) -> list[str]:
        """multiprocessing's resource tracker warnings ("leaked semaphore objects", ...)."""
        return [line for line in self.stderr if "leaked" in line and "resource_tracker" in line]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "outcome": self.outcome, "relations": self.relations()}

    def summary(self) -> str:
        if self.timed_out:
            return (
                f"{self.example} timed out after {self.timeout:g} s; "
                f"killed {len(self.killed)} process(es)"
            )
        if self.exit_code != 0:
            tail = self.stderr[-1] if self.stderr else "(no stderr)"
            return f"{self.example} exited with code {self.exit_code}: {tail}"
        return f"{self.example} exited with code 0 in {self.wall_time:.2f} s"


def example_env(settings: Settings, report_dir: str) -> dict[str, str]:
    """The example's environment: this one without PYTHON*/MPLAB_* variables, plus the lab's."""
    env = {
        k: v for k, v in os.environ.items() if not k.upper().startswith(("PYTHON", "MPLAB_"))
    }
    env.update(
        PYTHONIOENCODING="utf-8",
        PYTHONDONTWRITEBYTECODE="1",
        MPLAB_REPORT=report_dir,
        MPLAB_TIME_SCALE=repr(settings.time_scale),
        MPLAB_STDOUT=settings.stdout,
    )
    if settings.start_method:
        env["MPLAB_START_METHOD"] = settings.start_method
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


def run_program(name: str, argv: list[str], settings: Settings) -> Observation:
    """Run any program under the lab's rules (examples and probes alike)."""
    with tempfile.TemporaryDirectory(prefix="mplab-report-") as report_dir:
        os.chmod(report_dir, 0o777)  # a probe may drop its privileges and still report
        env = example_env(settings, report_dir)
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=report_dir,
                **proctree.isolation_kwargs(),
            )
        except OSError as exc:
            raise LabError(f"cannot start {argv[0]}: {exc.strerror}") from None
        pgid = proc.pid if sys.platform != "win32" else None
        timed_out = False
        killed: list[int] = []
        try:
            out, err = proc.communicate(timeout=settings.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            killed = proctree.kill_tree(proc.pid, pgid)
            out, err = _drain(proc)
        except BaseException:  # KeyboardInterrupt, pytest-timeout: still leave nothing behind
            proctree.kill_tree(proc.pid, pgid)
            _drain(proc)
            raise
        wall = time.perf_counter() - started
        proc.wait()
        leftovers = proctree.wait_for_tree(proc.pid, pgid, grace=5.0)
        if leftovers:
            killed += proctree.kill_tree(proc.pid, pgid)
        return Observation(
            example=name,
            argv=argv,
            start_method=settings.start_method,
            stdout_mode=settings.stdout,
            time_scale=settings.time_scale,
            stdout=_decode(out),
            stderr=_decode(err),
            exit_code=None if timed_out else proc.returncode,
            timed_out=timed_out,
            timeout=settings.timeout,
            wall_time=wall,
            root_pid=proc.pid,
            records=_read_records(Path(report_dir)),
            killed=killed,
            leftovers=leftovers,
        )


def _drain(proc: subprocess.Popen) -> tuple[bytes, bytes]:
    """What the process printed before it was killed (communicate keeps partial output)."""
    try:
        return proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        # A descendant outside the tree still holds the pipes; give up on the rest of the output.
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
        proc.wait()
        return b"", b""


def _decode(data: bytes | None) -> list[str]:
    if not data:
        return []
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").splitlines()


def _read_records(folder: Path) -> list[Record]:
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(Record(**json.loads(line)))
            except (ValueError, TypeError):
                continue  # a line cut short by a kill
    return sorted(records, key=lambda r: (r.pid, r.seq))


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
