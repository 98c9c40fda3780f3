"""Probe: a child killed while it holds a multiprocessing Lock of its own leaves the semaphore to
the resource tracker, which warns at shutdown (L23).

The child makes one Lock, tells the parent through a Pipe (no semaphores of its own), and waits;
the parent kills it with SIGKILL, so none of the child's finalizers run. The parent then exits
normally. Whatever the resource tracker says goes to the run's stderr: the spec reads it there.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait


def hold_a_lock(conn):
    lock = mp.Lock()
    name = getattr(lock._semlock, "name", None)
    conn.send("named semaphore" if name else "no name (unlinked at once)")
    conn.poll(WAIT)  # the parent kills us long before this ends


if __name__ == "__main__":
    reader, writer = mp.Pipe()
    p = mp.Process(target=hold_a_lock, args=(writer,))
    p.start()
    _lab_hook.report("child_lock", reader.recv() if reader.poll(WAIT) else "no answer")
    p.kill()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
    _lab_hook.report("parent", os.getpid())
