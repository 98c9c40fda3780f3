"""Probe: which atexit handlers run when a child process exits (L20).

Three handlers: one registered at module level (so a spawn child, or a fork server that preloads
the main module, registers it again when it imports the module as __mp_main__), one registered
by the parent under the main guard before start(), and one the child's target registers. Each
handler reports when it runs, in whatever process; the parent reports the child's pid and the
fork server's (multiprocessing's record of it).
"""
import atexit
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds


def ran(which):
    _lab_hook.report("atexit_ran", which)


atexit.register(ran, "module level")


def child():
    atexit.register(ran, "registered in the child")
    _lab_hook.report("child_started", True)


if __name__ == "__main__":
    atexit.register(ran, "registered by the parent before start()")
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    server = None
    if mp.get_start_method() == "forkserver":
        from multiprocessing import forkserver
        server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    _lab_hook.report("child", {"pid": p.pid, "exitcode": p.exitcode, "fork_server": server})
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)
