"""The page's os.fork() program with the parent waiting for its child (erratum E-fork-orphan).

Without the wait, the parent may exit before the child calls os.getppid(); the child then
reports the process that adopted it (init or a subreaper), not the parent the page shows.
"""
import os

import _lab_hook  # lab: runner settings in, facts out; does nothing when run by hand

pid = os.fork()
_lab_hook.report("fork_returned", pid)  # lab

if pid < 0:
    print('Fail to create process')
elif pid == 0:
    print('I am child process (%s) and my parent is (%s).' % (os.getpid(), os.getppid()))
else:
    print('I (%s) just created a child process (%s).' % (os.getpid(), pid))
    os.waitpid(pid, 0)  # lab: corrected
