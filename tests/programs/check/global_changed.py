"""A program relying on a module-level global changed in __main__."""
import multiprocessing as mp

SETTING = "module default"


def show():
    print("child sees", SETTING, flush=True)


if __name__ == "__main__":
    SETTING = "set in main"
    p = mp.Process(target=show)
    p.start()
    p.join(20)
    print("parent sees", SETTING, flush=True)
