"""The page's first multiprocessing program: one Process, start() and join()."""
import os
from multiprocessing import Process

import _lab_hook  # lab: runner settings in, facts out; does nothing when run by hand

# 子进程要执行的代码
def child_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()))
    _lab_hook.report("child_ran", name)  # lab

if __name__ == '__main__':
    print('Parent process %s.' % os.getpid())
    p = Process(target=child_proc, args=('test',))
    print('Process will start.')
    p.start()
    _lab_hook.report("started", p.pid)  # lab
    p.join()
    _lab_hook.report("joined", p.exitcode)  # lab
    print('Process end.')
