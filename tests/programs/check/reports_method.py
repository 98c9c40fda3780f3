"""Prints the start method and module name the parent and its child see, and its arguments."""
import multiprocessing as mp
import sys


def child(q):
    q.put(f"child {mp.get_start_method()} {__name__}")


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get(timeout=20))
    p.join(20)
    print("parent", mp.get_start_method(), __name__)
    print("args", *sys.argv[1:])
