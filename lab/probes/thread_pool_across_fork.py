"""Probe: a concurrent.futures.ThreadPoolExecutor used before the child starts, used again in the
child (L12).

The executor is made at import, so every process has one: a forked child has a copy of the
parent's, a spawn child a new one, a forkserver child the fork server's or a new one. The parent
runs a task on it first, so its worker thread exists and is idle. The child submits a task and
counts its own threads: with no worker thread in the child the task can never run, and the
child's short wait for it fails whatever the timing. With a worker thread it waits up to WAIT.
"""
import concurrent.futures
import multiprocessing as mp
import threading

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs
TRY = 0.5  # seconds: the wait for a task that no thread of the child can run

EXECUTOR = concurrent.futures.ThreadPoolExecutor(max_workers=2)


def square(x):
    return x * x


def child():
    future = EXECUTOR.submit(square, 7)
    threads = threading.active_count()
    try:
        result = future.result(timeout=TRY if threads == 1 else WAIT)
    except concurrent.futures.TimeoutError:
        outcome = ("never runs: no worker thread in the child" if threads == 1
                   else "no result within %d s" % WAIT)
    except Exception as exc:
        outcome = "%s: %s" % (type(exc).__name__, exc)
    else:
        outcome = "runs" if result == 49 else "wrong result %r" % (result,)
    _lab_hook.report("child_task", outcome)
    _lab_hook.report("child_threads", threads)


if __name__ == "__main__":
    _lab_hook.report("parent_task", EXECUTOR.submit(square, 6).result(timeout=WAIT))
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
    EXECUTOR.shutdown(wait=True)
