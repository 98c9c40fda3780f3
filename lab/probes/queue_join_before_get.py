"""Probe: join() before draining a Queue waits for a child whose item is still in the pipe (L22).

A child that put() an item exits only after its queue's feeder thread has written the item into
the pipe. 1 MiB cannot fit in a pipe (64 KiB on Linux), so that child cannot end until the parent
reads: join(timeout) returns with the child alive, however long the timeout. A 1000-byte item
fits in any pipe (even the one-page, 4 KiB pipe Linux gives a user over its pipe quota), so that
child ends before anyone reads.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait that must succeed
JOIN_FIRST = 0.5  # seconds; how long the first join waits. Any value shows the same: the
# large-item child cannot exit before the parent reads, so this is not a timing assertion.
LARGE = 1024 * 1024
SMALL = 1000


def put(q, size):
    q.put(b"x" * size)


def run(size):
    q = mp.Queue()
    p = mp.Process(target=put, args=(q, size))
    p.start()
    p.join(WAIT if size == SMALL else JOIN_FIRST)
    before = "still running" if p.is_alive() else f"exited with code {p.exitcode}"
    item = q.get(timeout=WAIT)
    p.join(WAIT)
    after = "still running" if p.is_alive() else f"exited with code {p.exitcode}"
    return before, after, len(item)


if __name__ == "__main__":
    before, after, got = run(LARGE)
    _lab_hook.report("large_item_join_before_get", before)
    _lab_hook.report("large_item_join_after_get", after)
    _lab_hook.report("large_item_bytes_received", got)
    before, after, got = run(SMALL)
    _lab_hook.report("small_item_join_before_get", before)
    _lab_hook.report("small_item_bytes_received", got)
