"""Probe: a Process started from a ThreadPoolExecutor's worker thread (L12b).

The parent's executor thread starts the child and joins it. A forked child's only thread is its
copy of that worker thread, which concurrent.futures still lists among the executor's threads:
at exit it tried to join itself until gh-88110 cleared that list after fork.
"""
import concurrent.futures
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs


def child():
    _lab_hook.report("child_ran", True)


def start_child():
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    return p.exitcode


if __name__ == "__main__":
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        _lab_hook.report("child_exitcode", executor.submit(start_child).result(timeout=WAIT))
