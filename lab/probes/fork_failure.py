"""Probe: os.fork() reports failure by raising OSError, never by returning a negative pid.

The page's `if pid < 0` branch comes from C, where fork() returns -1 on failure (E-fork-negative).
Here a process limit of zero makes fork() fail: the kernel refuses a new process with EAGAIN.
Root is exempt from that limit, so a root run first drops to the "nobody" user.
"""
import os
import resource

import _path  # noqa: F401
import _lab_hook

if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
try:
    pid = os.fork()
except OSError as exc:
    _lab_hook.report("fork_failed", {"raised": type(exc).__name__, "is_oserror": True,
                                     "errno": exc.errno})
else:
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    _lab_hook.report("fork_failed", {"returned": pid})
