"""Probe: a program that never ends, with children holding a queue: for the runner's timeout."""
import multiprocessing as mp
import time

import _path  # noqa: F401
import _lab_hook


def stuck(q):
    _lab_hook.report("child_waiting")
    q.get()  # unbounded: nothing is ever put; this probe hangs on purpose


if __name__ == "__main__":
    q = mp.Queue()
    names = [getattr(lock, "_semlock", None) for lock in (q._rlock, q._sem)]
    _lab_hook.report("semaphores", [getattr(s, "name", None) for s in names])
    children = [mp.Process(target=stuck, args=(q,)) for _ in range(2)]
    for c in children:
        c.start()
    print("started", flush=True)
    _lab_hook.report("started")  # after the line: a spec that sees this record has the line
    while True:
        time.sleep(1)
