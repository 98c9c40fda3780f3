"""Probe: a lambda and a local function as a Process target and in Pool.map (L06).

Each attempt reports "runs" or the exception's type name; the child or the pool's worker
reports nothing, so only how the parent's call ended counts.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
TARGET = lambda: None  # noqa: E731  (the point: a lambda at module level)
FUNC = lambda x: x  # noqa: E731


def make_local():
    def local(x=0):
        return x
    return local


def attempt(key, call):
    try:
        call()
    except Exception as exc:  # the outcome is the exception's type
        _lab_hook.report(key, type(exc).__name__)
        _lab_hook.report(key + "_message", str(exc)[:200])
    else:
        _lab_hook.report(key, "runs")


def process(target):
    p = mp.Process(target=target)
    p.start()
    p.join(WAIT)
    if p.exitcode != 0:
        raise RuntimeError("child exit code %s" % p.exitcode)


def pool_map(func):
    with mp.Pool(1) as pool:
        pool.map_async(func, [1]).get(WAIT)


if __name__ == "__main__":
    attempt("lambda_process", lambda: process(TARGET))
    attempt("local_process", lambda: process(make_local()))
    attempt("lambda_pool_map", lambda: pool_map(FUNC))
    attempt("local_pool_map", lambda: pool_map(make_local()))
