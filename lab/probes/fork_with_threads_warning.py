"""Probe: forking a process that runs other threads warns from 3.12 (L13, gh-100228).

A thread waits on an event while the parent forks twice: once with os.fork() and once by starting
a Process under the start method the lab set. Each is watched with warnings.catch_warnings and
the "always" filter, so a warning is seen whatever the filters do with it; then once more under
the interpreter's own filters, with stderr captured, to see whether a user would see it (the
default filters show a DeprecationWarning only when it is attributed to __main__). A control fork
with no other thread shows what fork alone does.
"""
import contextlib
import io
import multiprocessing as mp
import os
import re
import threading
import warnings

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what any step needs, a third of the runner's 60 s timeout


def noop():
    pass


def caught(action):
    """The warnings ``action`` raises: 'Category: message' (pid masked), with where it points."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        action()
    return [{"warning": "%s: %s" % (w.category.__name__, re.sub(r"pid=\d+", "pid=N",
                                                                   str(w.message))),
             "file": os.path.basename(w.filename)} for w in seen]


def shown(action):
    """Whether ``action`` prints the warning under the filters the interpreter started with."""
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        action()
    return "multi-threaded" in buf.getvalue()


def os_fork():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def process_start():
    p = mp.Process(target=noop)
    p.start()
    p.join(WAIT)


if __name__ == "__main__":
    if hasattr(os, "fork"):
        _lab_hook.report("os_fork_alone", caught(os_fork))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(WAIT,))
    thread.start()
    try:
        if hasattr(os, "fork"):
            _lab_hook.report("os_fork_with_thread", caught(os_fork))
            _lab_hook.report("os_fork_shown", shown(os_fork))
        _lab_hook.report("process_start_with_thread", caught(process_start))
        _lab_hook.report("process_start_shown", shown(process_start))
    finally:
        stop.set()
        thread.join(WAIT)
