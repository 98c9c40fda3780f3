"""Probe: which first uses of multiprocessing fix the start method, so that a later
set_start_method() fails (L02b).

Run with no start method set (the spec passes None). For each use, the probe clears the context
(set_start_method(None, force=True), what a fresh program starts with), makes that one use, and
reports whether the context is now fixed and what set_start_method() says afterwards.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's 60 s timeout


def noop():
    pass


def start_and_join():
    p = mp.Process(target=noop)
    p.start()
    p.join(WAIT)


USES = {
    "get_start_method()": mp.get_start_method,
    "get_start_method(allow_none=True)": lambda: mp.get_start_method(allow_none=True),
    "Lock()": mp.Lock,
    "Queue()": lambda: mp.Queue().close(),
    "Process() created": lambda: mp.Process(target=noop),
    "Process().start()": start_and_join,
}


def then_set():
    try:
        mp.set_start_method("spawn")
    except RuntimeError as exc:
        return "RuntimeError: %s" % exc
    return "accepted"


if __name__ == "__main__":
    fixed_by = {}
    for name, use in USES.items():
        mp.set_start_method(None, force=True)
        use()
        fixed_to = mp.get_start_method(allow_none=True)
        fixed_by[name] = {"fixed_to": fixed_to, "then set_start_method": then_set()}
    _lab_hook.report("uses", fixed_by)
