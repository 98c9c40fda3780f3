"""Probe: set_start_method() at module level of the main script, with no __main__ guard (L02c).

The user's script, as it is often written:

    import multiprocessing as mp
    mp.set_start_method("spawn")      # module level: no guard
    def work(): ...
    if __name__ == "__main__":
        p = mp.Process(target=work); p.start(); p.join()

The probe makes that call first (with the method the runner chose, read from the lab's contract
before the lab's hook is imported), and records in every process that runs the module body what
the call did there. Under spawn, the child runs the main module again as __mp_main__, where the
start method is already set. A failure is re-raised, as in the user's script.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401

try:
    from lab.contract import START_METHOD  # the variable the runner sets; read before the hook
except ImportError:  # run by hand without the lab installed
    START_METHOD = None
METHOD = os.environ.get(START_METHOD or "", "") or "spawn"
WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's 60 s timeout

try:
    mp.set_start_method(METHOD)
    _outcome = "accepted"
except RuntimeError as exc:
    _outcome = "RuntimeError: %s" % exc

import _lab_hook

_lab_hook.report("module_level_call", {"name": __name__, "outcome": _outcome})
if _outcome != "accepted":
    raise RuntimeError(_outcome)


def work():
    _lab_hook.report("target_ran", True)


if __name__ == "__main__":
    p = mp.Process(target=work)
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
