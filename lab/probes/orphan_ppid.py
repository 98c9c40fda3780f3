"""Probe: a child whose parent has exited reports another process as its parent (E-fork-orphan).

The page's fork() programs do not wait for the child, so the child may call getppid() after the
parent has gone. Here the child waits for exactly that: it reads a pipe until end of file, which
comes when the parent exits and its end of the pipe closes. The kernel closes a dying process's
files before it re-parents its children, so the child then waits (boundedly) for the re-parenting.
"""
import os
import time

import _path  # noqa: F401
import _lab_hook

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    parent = os.getppid()
    while os.read(r, 1):
        pass
    deadline = time.monotonic() + 30
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.001)
    _lab_hook.report("ppid_after_parent_exit", os.getppid())
    os._exit(0)
os.close(r)
_lab_hook.report("parent", {"pid": os.getpid(), "child": pid})
