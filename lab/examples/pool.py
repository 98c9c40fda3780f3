"""The page's Pool(4) program: five apply_async tasks, close() and join()."""
import os
import time
from multiprocessing import Pool

import _lab_hook  # lab: runner settings in, facts out; does nothing when run by hand
import multiprocessing  # lab

def foo(x):
    print('Run task %s (pid:%s)...' % (x, os.getpid()))
    _lab_hook.report("task", x)  # lab
    time.sleep(_lab_hook.scaled(2))  # lab: the page's time.sleep(2), scaled
    print('Task %s result is: %s' % (x, x * x))

if __name__ == '__main__':
    print('Parent process %s.' % os.getpid())
    p = Pool(4)         # 设置进程数
    _lab_hook.report("workers", [c.pid for c in multiprocessing.active_children()])  # lab
    for i in range(5):
        p.apply_async(foo, args=(i,))    # 设置每个进程要执行的函数和参数
    print('Waiting for all subprocesses done...')
    p.close()
    p.join()
    print('All subprocesses done.')
