"""Probe: a Lock sent through a Queue or as a Pool task's argument, and a Manager's Lock sent
the same ways (L09).

A Queue pickles what it is given in a background feeder thread, so put() cannot raise: the
parent puts the Lock, then a marker, and a child reports which item it gets first. The queue
keeps order, so getting the marker first means the Lock was dropped; the feeder thread's
traceback is on stderr. Pool.apply pickles its arguments in the pool's task thread, whose error
comes back to apply(). The Manager's Lock is a proxy, which pickles as an address and a key.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs
MARK = "marker put after it"


def first_item(key, queue):
    item = queue.get(timeout=WAIT)
    if item == MARK:
        _lab_hook.report(key, "it never arrives: the next item comes first")
        return
    got = item.acquire(timeout=WAIT)
    if got:
        item.release()
    _lab_hook.report(key, "it arrives and works" if got else "it arrives, cannot be acquired")


def use(lock):
    got = lock.acquire(timeout=WAIT)
    if got:
        lock.release()
    return got


def through_queue(key, lock):
    queue = mp.Queue()
    p = mp.Process(target=first_item, args=(key, queue))
    p.start()
    queue.put(lock)
    queue.put(MARK)
    p.join(WAIT)
    queue.close()
    queue.join_thread()


def as_pool_argument(pool, lock):
    try:
        got = pool.apply_async(use, (lock,)).get(WAIT)
    except Exception as exc:
        return "%s: %s" % (type(exc).__name__, exc)
    return "it arrives and works" if got else "it arrives, cannot be acquired"


if __name__ == "__main__":
    lock = mp.Lock()
    through_queue("lock_via_queue", lock)
    with mp.Manager() as manager, mp.Pool(1) as pool:
        _lab_hook.report("lock_as_pool_argument", as_pool_argument(pool, lock))
        proxy = manager.Lock()
        through_queue("manager_lock_via_queue", proxy)
        _lab_hook.report("manager_lock_as_pool_argument", as_pool_argument(pool, proxy))
    pool.join()  # unbounded: Pool.join() takes no timeout; the with block terminated the pool
