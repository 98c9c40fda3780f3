"""Probe: os.fork() reports failure by raising OSError, never by returning a negative pid.

The page's `if pid < 0` branch comes from C, where fork() returns -1 on failure (E-fork-negative).
Here a process limit of zero makes fork() fail: the kernel refuses a new process with EAGAIN.
Root is exempt from that limit, so a root run tries in a child that first drops to the "nobody"
user; the child sends what happened to its parent, which reports it: the runner's report folder
is private to the runner's user, so a process that dropped its privileges cannot write there.
"""
import json
import os
import resource

import _path  # noqa: F401
import _lab_hook


def try_fork():
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    try:
        pid = os.fork()
    except OSError as exc:
        return {"raised": type(exc).__name__, "is_oserror": True, "errno": exc.errno}
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return {"returned": pid}


if os.geteuid() == 0:
    r, w = os.pipe()
    tester = os.fork()
    if tester == 0:
        os.close(r)
        os.setgid(65534)
        os.setuid(65534)
        os.write(w, json.dumps(try_fork()).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        data += chunk
    os.waitpid(tester, 0)
    _lab_hook.report("fork_failed", json.loads(data))
else:
    _lab_hook.report("fork_failed", try_fork())
