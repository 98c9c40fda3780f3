"""A user's program: a target function defined in __main__, run in a child process."""
import multiprocessing as mp
import os


def greet(q):
    q.put(("hello from", mp.current_process().name, os.getpid() != q_parent))


q_parent = os.getppid()  # reset in each process that imports this file

if __name__ == "__main__":
    q_parent = os.getpid()
    q = mp.Queue()
    p = mp.Process(target=greet, args=(q,))
    p.start()
    print("method", mp.get_start_method(), flush=True)
    print(*q.get(timeout=60), flush=True)
    p.join()
