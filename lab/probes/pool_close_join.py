"""Probe: what Pool.close() forbids, and that Pool.join() needs close() first (C17, C18)."""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what any step needs, a third of the runner's timeout


def square(x):
    return x * x


def fail(exc):
    return {"type": type(exc).__name__, "message": str(exc)}


if __name__ == "__main__":
    pool = mp.Pool(2)
    try:
        pool.join()  # unbounded: before close() it raises at once
        _lab_hook.report("join_before_close", "returned")
    except Exception as exc:
        _lab_hook.report("join_before_close", fail(exc))
    pending = pool.apply_async(square, (3,))
    pool.close()
    try:
        pool.apply_async(square, (4,))
        _lab_hook.report("apply_async_after_close", "accepted")
    except Exception as exc:
        _lab_hook.report("apply_async_after_close", fail(exc))
    pool.join()  # unbounded: Pool.join takes no timeout; close() came first
    # A task submitted before close() still runs to the end.
    _lab_hook.report("task_submitted_before_close", pending.get(timeout=WAIT))
    _lab_hook.report("children_after_join", len(mp.active_children()))
    _lab_hook.report("parent", os.getpid())
