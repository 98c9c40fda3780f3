"""Probe: apply_async() returns before its task ends, and Pool(4) runs four tasks at once (C16).

The first task waits for an event that the parent sets only after apply_async() has returned: a
blocking apply_async() would wait for it forever. The next four tasks wait at a barrier for four:
fewer than four running at once would never get through it.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what any step needs, a third of the runner's 60 s timeout
_shared = {}


def init(event, barrier):
    _shared["event"], _shared["barrier"] = event, barrier


def wait_for_parent():
    return _shared["event"].wait(WAIT)


def meet(i):
    _shared["barrier"].wait(WAIT)
    return os.getpid()


if __name__ == "__main__":
    event, barrier = mp.Event(), mp.Barrier(4)
    with mp.Pool(4, initializer=init, initargs=(event, barrier)) as pool:
        first = pool.apply_async(wait_for_parent)
        _lab_hook.report("returned_before_task_done", not first.ready())
        event.set()
        _lab_hook.report("task_saw_event", first.get(timeout=WAIT))
        met = [pool.apply_async(meet, (i,)) for i in range(4)]
        _lab_hook.report("barrier_pids", sorted(r.get(timeout=WAIT) for r in met))
