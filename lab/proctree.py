"""Keeping every process a run starts on a leash, however it detaches: find, kill and reap them.

An example's processes must all end with its run. On POSIX each run gets a session (and so a
process group) of its own. A process may still leave it (``setsid()``, ``setpgid(0, 0)``) and
outlive its parents. On Linux the runner is a child subreaper while it runs a program, so such
orphans are re-parented to the runner: every new child of the runner during a run is one of the
run's processes. Elsewhere the run's processes are found by session, process group and descent
from the root, in snapshots taken while the run goes on; a process that detached and whose
parent exited between two snapshots can escape there.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psutil

_PR_SET_CHILD_SUBREAPER = 36
_PR_GET_CHILD_SUBREAPER = 37
_POSIX = sys.platform != "win32"

_lock = threading.Lock()
_depth = 0
_ours = False  # True when this module turned the subreaper flag on (and so turns it off)


def isolation_kwargs() -> dict[str, Any]:
    """Popen arguments that give the run a session and process group of its own."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _prctl(option: int, arg: Any) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(option, arg, 0, 0, 0)


def is_subreaper() -> bool:
    """Whether orphaned descendants of this process are re-parented to it now (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    flag = ctypes.c_int(0)
    try:
        return _prctl(_PR_GET_CHILD_SUBREAPER, ctypes.byref(flag)) == 0 and flag.value != 0
    except (OSError, AttributeError):
        return False


@contextmanager
def subreaper() -> Iterator[bool]:
    """Be a child subreaper while the block runs (Linux), and stop being one after it.

    Only while a run goes on: the lab's pytest plugin is loaded by every pytest in the
    environment, and importing the runner must not change how those processes reap. Nested
    uses share one flag; a process that was a subreaper already stays one.
    """
    global _depth, _ours
    with _lock:
        if _depth == 0 and sys.platform.startswith("linux") and not is_subreaper():
            try:
                _ours = _prctl(_PR_SET_CHILD_SUBREAPER, 1) == 0
            except (OSError, AttributeError):
                _ours = False
        _depth += 1
        active = is_subreaper()
    try:
        yield active
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _ours:
                _prctl(_PR_SET_CHILD_SUBREAPER, 0)
                _ours = False


def _is_resource_tracker(proc: psutil.Process) -> bool:
    try:
        return any("resource_tracker" in part for part in proc.cmdline())
    except psutil.Error:
        return False


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def wait_gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until each process has ended (a zombie counts: its parent reaps it, not us); the
    ones still running at ``timeout``. psutil.wait_procs would wait out a zombie that is not
    our child, whose pid still exists."""
    deadline = time.monotonic() + timeout
    alive = [p for p in procs if _alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _alive(p)]
    return alive


def command_of(proc: psutil.Process) -> str:
    """A process's command line, for a report; its name when the command line is gone."""
    try:
        parts = proc.cmdline() or [proc.name()]
    except psutil.Error:
        return "?"
    # A program given with -c (the runner's bootstrap, say) shows as <code>.
    return " ".join("<code>" if "\n" in p else p for p in parts if p)


def descendants(starts: set[int], parent_of: dict[int, int],
                created: dict[int, float]) -> set[int]:
    """``starts`` and every process descended from them, by each process's parent pid.

    A parent pid can name a process that is gone and whose pid was given again: Windows never
    re-parents a child, and reuses pids at once (Wine from the lowest ones). So a child counts
    only if it was created no earlier than the process that holds its parent's pid now; else
    Wine's services.exe, started long before by a process whose pid a run's root got later,
    would be taken for the run's.
    """
    children: dict[int, list[int]] = {}
    for pid, ppid in parent_of.items():
        if pid != ppid and created.get(pid, 0.0) >= created.get(ppid, 0.0):
            children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = list(starts)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    return found


class RunProcesses:
    """Every process of one run: the root, its descendants, its session and process group, and
    (as a subreaper) every orphan re-parented to the runner while the run goes on.

    Make it before starting the root: it notes which children the runner had and which pids
    were alive, so that neither is taken for the run's.
    """

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.children_before = {p.pid for p in self.me.children()}
        self.pids_before = set(psutil.pids())
        self.root_pid = 0
        self.seen: dict[int, psutil.Process] = {}
        self.reaped: set[int] = set()

    def started(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self.scan()

    @property
    def pgid(self) -> int | None:
        return self.root_pid if _POSIX else None

    def scan(self) -> None:
        """Add every process of the run alive now; reap the run's orphans that have exited."""
        parent_of: dict[int, int] = {}
        created: dict[int, float] = {}
        procs: dict[int, psutil.Process] = {}
        for proc in psutil.process_iter(["ppid", "create_time"]):
            procs[proc.pid] = proc
            parent_of[proc.pid] = proc.info["ppid"]
            created[proc.pid] = proc.info["create_time"] or 0.0
        starts = {self.root_pid}
        me = self.me.pid
        starts |= {pid for pid, ppid in parent_of.items()
                   if ppid == me and pid not in self.children_before}
        if _POSIX:
            for pid in procs:
                try:
                    if os.getpgid(pid) == self.pgid or os.getsid(pid) == self.root_pid:
                        starts.add(pid)
                except OSError:
                    continue
        starts |= {pid for pid in self.seen if pid in procs}
        for pid in descendants(starts & set(procs), parent_of, created):
            self.seen.setdefault(pid, procs[pid])
        self.reap()

    def reap(self) -> None:
        """Reap the run's exited processes that are children of the runner (adopted orphans).

        The root is left to its Popen, which needs its exit status.
        """
        if not _POSIX:
            return
        for pid, proc in list(self.seen.items()):
            if pid == self.root_pid or pid in self.reaped:
                continue
            try:
                if proc.ppid() == self.me.pid and proc.status() == psutil.STATUS_ZOMBIE:
                    os.waitpid(pid, os.WNOHANG)
                    self.reaped.add(pid)
            except (psutil.Error, ChildProcessError):
                continue

    def alive(self) -> list[psutil.Process]:
        """The run's processes alive now, the root excepted."""
        return [p for pid, p in self.seen.items() if pid != self.root_pid and _alive(p)]

    def detached(self, proc: psutil.Process) -> bool:
        """True when a process left the run's process group (setsid, setpgid)."""
        if not _POSIX:
            return False
        try:
            return os.getpgid(proc.pid) != self.pgid
        except OSError:
            return False

    def kill(self, root: subprocess.Popen | None, grace: float = 5.0) -> list[int]:
        """Kill the root (when given and running) and every process of the run; the pids killed.

        multiprocessing's resource tracker is let go last: it ignores SIGINT and SIGTERM by
        design, and once every process that used it is gone its pipe closes and it unlinks the
        semaphores they left, so killing it first would leak them.
        """
        killed: list[int] = []
        if root is not None and root.poll() is None:
            root.kill()
            killed.append(root.pid)
        for _round in range(3):  # a process may fork while we kill its family
            self.scan()
            procs = self.alive()
            if not procs:
                break
            others = [p for p in procs if not _is_resource_tracker(p)]
            trackers = [p for p in procs if _is_resource_tracker(p)]
            for proc in others:
                _kill(proc, killed)
            psutil.wait_procs(others, timeout=grace)
            _, still = psutil.wait_procs(trackers, timeout=grace)
            for proc in still:
                _kill(proc, killed)
            psutil.wait_procs(still, timeout=grace)
        if root is not None:
            root.wait()
        self.scan()
        return killed

    def pids(self) -> set[int]:
        return set(self.seen) | {self.root_pid}


def _kill(proc: psutil.Process, killed: list[int]) -> None:
    try:
        proc.send_signal(signal.SIGKILL if _POSIX else signal.SIGTERM)
        killed.append(proc.pid)
    except psutil.NoSuchProcess:
        pass
