"""Probe: how often the main module's body runs again, and where (L04).

Every run of the module body reports the name it ran under. The parent then starts three
Processes, one after another, and a Pool(2) that runs six tasks; each Process and each pool
worker (through the pool's initializer, which runs once per worker) reports its pid; the pool
is used only once both workers have reported. The spec counts the body's runs per process: in
which processes it ran, and how many times in each.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs

_lab_hook.report("module_body", __name__)


def child():
    _lab_hook.report("child", os.getpid())


def worker_started(barrier):
    _lab_hook.report("worker", os.getpid())
    barrier.wait(WAIT)


def square(x):
    return x * x


if __name__ == "__main__":
    for _ in range(3):
        p = mp.Process(target=child)
        p.start()
        p.join(WAIT)
    # Both workers report before the pool is used and ended: a worker still starting when the
    # pool is terminated would have run the module body without saying it is a worker.
    barrier = mp.Barrier(3)
    with mp.Pool(2, initializer=worker_started, initargs=(barrier,)) as pool:
        barrier.wait(WAIT)
        squares = pool.map_async(square, range(6)).get(WAIT)
    pool.join()  # unbounded: Pool.join() takes no timeout; the with block terminated the pool
    _lab_hook.report("squares", squares)
