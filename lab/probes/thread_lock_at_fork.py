"""Probe: a threading.Lock held by another thread when the Process starts (L11).

A thread takes the module-level lock, says so through an Event, and holds it until the parent
has started the child and the child has ended. The child tries the lock with a short timeout:
a lock that no thread of the child can ever release fails after any timeout, so the result does
not depend on timing. A forked child copies the lock as it was (locked) and none of the threads;
a spawn child, or a forkserver one, has a lock of its own, made when the module ran again.
"""
import multiprocessing as mp
import threading

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs
TRY = 0.5  # seconds: the child's try; a lock held by no thread of the child never comes free

LOCK = threading.Lock()


def hold(held, done):
    with LOCK:
        held.set()
        done.wait(WAIT)


def child():
    got = LOCK.acquire(timeout=TRY)
    if got:
        LOCK.release()
    _lab_hook.report("child_acquired", got)
    _lab_hook.report("child_threads", threading.active_count())


if __name__ == "__main__":
    held, done = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold, args=(held, done))
    holder.start()
    _lab_hook.report("held_at_start", held.wait(WAIT))
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    done.set()
    holder.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
