"""Keeping the processes an example starts on a leash: isolate, reap, and kill the whole tree.

An example's processes must all end with its run. On POSIX each run gets a session (and so a
process group) of its own, which also holds the grandchildren whose parent exited first. On Linux
the runner also becomes a child subreaper, so those orphans are re-parented to it and reaped
here: some machines' PID 1 (in containers, notably) never reaps them, and they stay zombies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Any

import psutil

_PR_SET_CHILD_SUBREAPER = 36


def isolation_kwargs() -> dict[str, Any]:
    """Popen arguments that give the run a process group of its own."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux only); True if it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _group_members(pgid: int) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            if os.getpgid(proc.pid) == pgid:
                found.append(proc)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


def tree(root_pid: int, pgid: int | None) -> list[psutil.Process]:
    """Every live process of a run: the root's descendants, and on POSIX its process group."""
    procs: dict[int, psutil.Process] = {}
    try:
        root = psutil.Process(root_pid)
        for proc in [root, *root.children(recursive=True)]:
            procs[proc.pid] = proc
    except psutil.NoSuchProcess:
        pass
    if pgid is not None:
        for proc in _group_members(pgid):
            procs.setdefault(proc.pid, proc)
    return [p for p in procs.values() if _alive(p)]


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _is_resource_tracker(proc: psutil.Process) -> bool:
    try:
        return any("resource_tracker" in part for part in proc.cmdline())
    except psutil.Error:
        return False


def kill_tree(root_pid: int, pgid: int | None, grace: float = 5.0) -> list[int]:
    """Kill every process of a run; the pids killed.

    multiprocessing's resource tracker is let go last: it ignores SIGINT and SIGTERM by design,
    and once every process that used it is gone its pipe closes and it unlinks the semaphores
    they left, so killing it first would leak them.
    """
    killed: list[int] = []
    for _round in range(3):  # a process may fork while we kill its family
        procs = tree(root_pid, pgid)
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
    reap_orphans()
    return killed


def wait_for_tree(root_pid: int, pgid: int | None, grace: float) -> list[int]:
    """Give a finished run's processes ``grace`` seconds to exit; the pids still alive after.

    A process that closed its output pipes may still be exiting when the run's output ends.
    """
    deadline = time.monotonic() + grace
    while True:
        reap_orphans()
        alive = [p.pid for p in tree(root_pid, pgid)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.01)


def _kill(proc: psutil.Process, killed: list[int]) -> None:
    try:
        proc.send_signal(signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM)
        killed.append(proc.pid)
    except psutil.NoSuchProcess:
        pass


def reap_orphans() -> list[int]:
    """Reap zombie children that this process adopted as a subreaper; their pids."""
    reaped = []
    if sys.platform == "win32":
        return reaped
    try:
        children = psutil.Process().children()
    except psutil.Error:
        return reaped
    for child in children:
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(child.pid, os.WNOHANG)
                reaped.append(child.pid)
        except (psutil.Error, ChildProcessError):
            continue
    return reaped
