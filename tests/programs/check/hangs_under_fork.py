"""Hangs under fork only: a thread holds a lock while the process forks, so the forked child
inherits it locked, with no thread left to release it. A spawn or forkserver child makes its
own lock when it imports this module again."""
import multiprocessing as mp
import threading

LOCK = threading.Lock()
HELD = threading.Event()
RELEASE = threading.Event()


def holder():
    with LOCK:
        HELD.set()
        RELEASE.wait(20)


def child():
    with LOCK:  # unbounded on purpose: under fork nobody ever releases the child's copy
        print("child took the lock", flush=True)


if __name__ == "__main__":
    thread = threading.Thread(target=holder)
    thread.start()
    HELD.wait(20)
    p = mp.Process(target=child)
    p.start()
    RELEASE.set()
    thread.join()
    p.join()
    print("done", flush=True)
