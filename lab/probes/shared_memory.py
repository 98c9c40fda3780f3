"""Probe: processes can share memory directly through multiprocessing.Value (C25).

The page's summary says processes cannot share information directly; multiprocessing's shared
ctypes objects are memory that both processes map. The parent reads it after join().
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's timeout


def bump(counter):
    with counter.get_lock():
        counter.value += 41


if __name__ == "__main__":
    counter = mp.Value("i", 1)
    p = mp.Process(target=bump, args=(counter,))
    p.start()
    p.join(WAIT)
    _lab_hook.report("value_after_child", counter.value)
