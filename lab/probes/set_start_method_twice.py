"""Probe: set_start_method() called a second time, without and with force=True (L02).

The lab's hook has already called set_start_method() with the method the runner chose, as a
program's first call would. The probe calls it again with the same method, then with another
method and force=True, then forces the first back and starts a child, which reports the start
method it runs under.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's 60 s timeout


def outcome(call):
    try:
        call()
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)
    return "accepted"


def child():
    _lab_hook.report("child_start_method", mp.get_start_method())


if __name__ == "__main__":
    first = mp.get_start_method()
    other = next(m for m in mp.get_all_start_methods() if m != first) if len(
        mp.get_all_start_methods()) > 1 else first
    _lab_hook.report("second_call", outcome(lambda: mp.set_start_method(first)))
    _lab_hook.report("forced_call", outcome(lambda: mp.set_start_method(other, force=True)))
    _lab_hook.report("after_force_is_the_other", mp.get_start_method() == other)
    mp.set_start_method(first, force=True)
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
