"""Probe: how often the main module's body runs again, and where (L04).

Every run of the module body reports the name it ran under. The parent then starts three
Processes, one after another, and a Pool(2) that runs six tasks; each Process and each pool
worker (through the pool's initializer, which runs once per worker) reports its pid. The spec
counts the body's runs per process: in which processes it ran, and how many times in each.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs

_lab_hook.report("module_body", __name__)


def child():
    _lab_hook.report("child", os.getpid())


def worker_started():
    _lab_hook.report("worker", os.getpid())


def square(x):
    return x * x


if __name__ == "__main__":
    for _ in range(3):
        p = mp.Process(target=child)
        p.start()
        p.join(WAIT)
    with mp.Pool(2, initializer=worker_started) as pool:
        squares = pool.map_async(square, range(6)).get(WAIT)
    pool.join()
    _lab_hook.report("squares", squares)
