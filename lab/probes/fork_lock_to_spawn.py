"""Probe: a Lock and a Semaphore made by the fork context, passed to a Process of the start
method the lab set (L08).

A fork-context SemLock is unlinked at once (nothing else will open it by name), so only a forked
child can use it. The parent starts one Process with the lock and one with the semaphore, and
reports what start() did, what the child received (a name to open, or only the parent's address
of the semaphore) before the child touches it, and how the child ended.
"""
import multiprocessing as mp
import signal

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs


def use(what, sync):
    # What the child received, before it touches it: a name to open again, or only the
    # parent's address of a semaphore that was unlinked at creation.
    _lab_hook.report(what + "_in_child", {"handle": sync._semlock.handle,
                                          "name": sync._semlock.name})
    got = sync.acquire(timeout=WAIT)
    if got:
        sync.release()
    _lab_hook.report(what + "_acquired_in_child", got)


def outcome(what, sync):
    p = mp.Process(target=use, args=(what, sync))
    try:
        p.start()
    except Exception as exc:
        first = str(exc).split(". ")[0]
        return "%s at start(): %s" % (type(exc).__name__, first)
    p.join(WAIT)
    if p.exitcode == 0:
        return "works"
    if p.exitcode is not None and p.exitcode < 0:
        return "the child died of %s" % signal.Signals(-p.exitcode).name
    return "the child exited with code %s" % p.exitcode


if __name__ == "__main__":
    if "fork" not in mp.get_all_start_methods():  # Windows
        for what in ("lock", "semaphore"):
            _lab_hook.report(what, "no fork context on this platform")
        raise SystemExit(0)
    fork = mp.get_context("fork")
    for what, sync in (("lock", fork.Lock()), ("semaphore", fork.Semaphore(1))):
        _lab_hook.report(what + "_in_parent", {"handle": sync._semlock.handle,
                                               "name": sync._semlock.name})
        _lab_hook.report(what, outcome(what, sync))
