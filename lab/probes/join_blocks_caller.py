"""Probe: join() blocks only the process that calls it, not "all processes but the child" (C08).

A (the process joined) cannot end until B, a sibling, sets an event, and B sets it only after
the parent says it is about to call A.join(). If join() stopped every other process, A would wait
for B forever and join() would not return.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what either step needs, a third of the runner's 60 s timeout


def a_task(released):
    _lab_hook.report("a_released", released.wait(WAIT))


def b_task(entering, released):
    _lab_hook.report("b_saw_parent_entering_join", entering.wait(WAIT))
    released.set()


if __name__ == "__main__":
    entering, released = mp.Event(), mp.Event()
    a = mp.Process(target=a_task, args=(released,))
    b = mp.Process(target=b_task, args=(entering, released))
    a.start()
    b.start()
    entering.set()
    a.join(WAIT)
    _lab_hook.report("join_returned", a.exitcode)
    b.join(WAIT)
