"""The page's "multiprocessing depends on the platform" program: a module-level random value."""
import random
import os
from multiprocessing import Process

import _lab_hook  # lab: runner settings in, facts out; does nothing when run by hand

num = random.randint(0, 100)
_lab_hook.report("module_body", {"name": __name__, "num": num})  # lab

def show_num():
    print("pid:{}, num is {}".format(os.getpid(), num))
    _lab_hook.report("num_seen", num)  # lab

if __name__ == "__main__":
    print("pid:{}, num is {}".format(os.getpid(), num))
    _lab_hook.report("num_seen", num)  # lab
    p = Process(target=show_num)
    p.start()
    _lab_hook.report("started", p.pid)  # lab
    p.join()
