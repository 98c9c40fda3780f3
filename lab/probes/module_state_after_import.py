"""Probe: a global changed under the main guard, seen from a child (L05).

SETTING is rebound in __main__ after import: a child that re-imports the main module gets the
module-level value, a forked child the parent's.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
SETTING = "module-level value"


def child():
    _lab_hook.report("child_setting", SETTING)


if __name__ == "__main__":
    SETTING = "changed in __main__"
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exit", p.exitcode)
