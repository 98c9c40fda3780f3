"""A portable program: what the child needs comes as arguments, results through a Queue."""
import multiprocessing as mp
import os


def square(n, q):
    q.put((n, n * n, os.getpid()))


if __name__ == "__main__":
    q = mp.Queue()
    procs = [mp.Process(target=square, args=(n, q)) for n in range(3)]
    for p in procs:
        p.start()
    results = sorted(q.get(timeout=20) for _ in procs)
    for p in procs:
        p.join(20)
    for n, sq, pid in results:
        print(f"{n} squared is {sq} (worker pid {pid})")
    print(f"started at {hex(id(q))}", "in /tmp/run-" + str(os.getpid()))
