"""Probe: a module in set_forkserver_preload() that fails to import (L26b).

Up to 3.14 the fork server ignores the ImportError silently. 3.15 adds
``set_forkserver_preload(..., on_error='ignore' | 'warn' | 'fail')`` (gh-141860): 'ignore' stays
the default, 'warn' emits an ImportWarning in the fork server, 'fail' lets the fork server die,
so that starting a process raises. Each variant starts one child with a fresh fork server (the
preload list is read when the server starts, so the probe stops the running one first, with the
private ForkServer._stop() that CPython's own tests use). Under fork and spawn there is no fork
server: the call changes nothing.
"""
import multiprocessing as mp
import multiprocessing.forkserver as forkserver
import os
import sys

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait
MISSING = "mplab_no_such_module"


def tell_parent(conn):
    conn.send(os.getppid())
    conn.close()


def start_one():
    reader, writer = mp.Pipe(duplex=False)
    p = mp.Process(target=tell_parent, args=(writer,))
    try:
        p.start()
    except Exception as exc:
        notes = getattr(exc, "__notes__", [])
        kind = ("connection to the fork server failed" if isinstance(exc, (EOFError, OSError))
                else type(exc).__name__)
        return {"start": kind, "notes": notes}
    writer.close()
    ppid = reader.recv() if reader.poll(WAIT) else None
    p.join(WAIT)
    made_by = "the parent" if ppid == os.getpid() else "another process (the fork server)"
    return {"start": f"child exited with code {p.exitcode}", "forked_by": made_by}


def variant(on_error):
    if mp.get_start_method() == "forkserver":
        forkserver._forkserver._stop()  # the next start() launches a server with the new list
    try:
        if on_error is None:
            mp.set_forkserver_preload([MISSING])
        else:
            mp.set_forkserver_preload([MISSING], on_error=on_error)
    except TypeError as exc:
        return {"set_forkserver_preload": "TypeError", "message": str(exc)}
    result = start_one()
    sys.stderr.flush()
    return result


if __name__ == "__main__":
    _lab_hook.report("default", variant(None))
    _lab_hook.report("on_error_warn", variant("warn"))
    _lab_hook.report("on_error_fail", variant("fail"))
    if mp.get_start_method() == "forkserver":
        forkserver._forkserver._stop()
