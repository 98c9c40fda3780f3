"""Probe: Process.exitcode for each way a child can end (L19).

Each child ends one way: returning, sys.exit(3), sys.exit("text"), an uncaught exception, or
terminate() from the parent while it sleeps. The parent reports each exitcode; the spec reads
the traceback and the message on the run's stderr.
"""
import multiprocessing as mp
import signal
import sys
import time

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds


def returns():
    return 7  # a target's return value is not its exit code


def exits_3():
    sys.exit(3)


def exits_text():
    sys.exit("L19: exiting with a message")


def raises():
    raise ValueError("L19: uncaught in the child")


def sleeps(ready):
    ready.set()
    time.sleep(WAIT)


def run(name, target):
    p = mp.Process(target=target, name="L19-" + name)
    p.start()
    p.join(WAIT)
    _lab_hook.report(name, p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)


if __name__ == "__main__":
    for name, target in [("return", returns), ("sys.exit(3)", exits_3),
                         ("sys.exit(text)", exits_text), ("exception", raises)]:
        run(name, target)
    ready = mp.Event()
    p = mp.Process(target=sleeps, args=(ready,), name="L19-terminate")
    p.start()
    ready.wait(WAIT)  # terminate it once it runs its target, not while it starts
    p.terminate()
    p.join(WAIT)
    _lab_hook.report("terminate()", p.exitcode)
    _lab_hook.report("SIGTERM", int(signal.SIGTERM))
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)
