"""Probe: a Lock created at module level, tried by a child while the parent holds it (L05b).

The child tries the lock without blocking: it can take it only if it is not the parent's.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
LOCK = mp.Lock()


def child():
    took = LOCK.acquire(False)
    if took:
        LOCK.release()
    _lab_hook.report("child_took_lock", took)


if __name__ == "__main__":
    with LOCK:
        p = mp.Process(target=child)
        p.start()
        p.join(WAIT)
    _lab_hook.report("child_exit", p.exitcode)
