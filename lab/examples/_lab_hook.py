"""The one line each example adds to the page's program: the runner's settings in, facts out.

The page's programs print what a reader sees; a spec needs a little more (which process ran the
module body, what ``fork()`` returned where). This module carries both ways, through the
environment variables of ``lab/contract.py`` (``ProgramSettings``), so that an example stays the
page's code and still runs by hand unchanged: with none of them set, importing it does nothing.

- the start method, set before the example creates a process;
- ``terminal`` buffering makes stdout and stderr line-buffered, as they are when a reader runs
  the page's code in a terminal; otherwise Python's default for a pipe (block buffered);
- a time scale that multiplies the page's sleeps (``scaled(2)`` is 2 s at scale 1);
- a report folder: ``report()`` appends one JSON line per call to ``<pid>.jsonl`` there. One
  file per process keeps writes from different processes apart on every platform.
"""

import importlib.util
import json
import multiprocessing
import os
import signal
import sys


def _contract():
    """lab/contract.py: from the installed lab, else beside this file (a checkout)."""
    try:
        from lab import contract
    except ImportError:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "contract.py")
        if not os.path.isfile(path):
            return None  # a copy of the example, run by hand: nothing to do
        spec = importlib.util.spec_from_file_location("_lab_contract", path)
        contract = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = contract  # dataclasses look their module up there
        spec.loader.exec_module(contract)
    return contract


_CONTRACT = _contract()
_SETTINGS = _CONTRACT.ProgramSettings.from_env() if _CONTRACT else None
_SEQ = [0]


def _terminal_sigint():
    """Start with SIGINT as a program started from a terminal has it.

    There SIGINT has its default action, and Python turns it into KeyboardInterrupt. A program
    started in the background of a non-interactive shell (POSIX: an asynchronous list ignores
    SIGINT and SIGQUIT), or under a supervisor that ignores it, inherits SIGINT ignored, and
    Python leaves it ignored: a child would then never see Process.interrupt(). The lab runs
    every program as a reader's terminal would, whatever started the lab itself.
    """
    if hasattr(signal, "SIGINT") and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# The program's main process only: a spawn child, or the fork server, imports the main module
# anew (and this hook with it) and must inherit what the program set, as it would. CPython marks
# that import with current_process()._inheriting (Lib/multiprocessing/spawn.py
# _check_not_importing_main, forkserver.py main; 3.4+).
if _SETTINGS and not getattr(multiprocessing.current_process(), "_inheriting", False):
    _terminal_sigint()


def scaled(seconds):
    """The page's sleep, scaled by the runner (scale 1 when run by hand)."""
    return seconds * (_SETTINGS.time_scale if _SETTINGS else 1)


def report(key, value=None):
    """Tell the runner a fact; a no-op when the example runs by hand."""
    folder = _SETTINGS.report_dir if _SETTINGS else None
    if not folder:
        return
    _SEQ[0] += 1
    parent = multiprocessing.parent_process()
    record = {
        "key": key,
        "value": value,
        "pid": os.getpid(),
        "ppid": os.getppid() if hasattr(os, "getppid") else None,
        "process": multiprocessing.current_process().name,
        "mp_parent": parent.pid if parent is not None else None,
        "seq": _SEQ[0],
    }
    with open(os.path.join(folder, "%d.jsonl" % os.getpid()), "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def _setup():
    if _SETTINGS is None:
        return
    if _SETTINGS.stdout == "terminal":
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
    method = _SETTINGS.start_method
    # Only the first process sets it: a spawn child has it set (by multiprocessing) before it
    # imports the main module again, and a forked child inherits it.
    if method and multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method(method)


_setup()
