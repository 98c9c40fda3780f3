"""Helper of the hostile programs: leave a grandchild running that escapes its run.

The root forks a middle process that detaches (setsid or setpgid, or not) and forks the
grandchild, then exits at once, so the grandchild is an orphan. The grandchild sends its pid up
a pipe once it is set up; only then does the root print ``grandchild PID`` and exit.
"""
import os
import signal
import sys
import time


def escape(detach, keep_output, ignore_term=False):
    sys.stdout.flush()
    r, w = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(r)
        if detach == "setsid":
            os.setsid()
        elif detach == "setpgid":
            os.setpgid(0, 0)
        if os.fork() == 0:
            if ignore_term:
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if not keep_output:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.close(devnull)
            os.write(w, b"%d\n" % os.getpid())
            os.close(w)
            while True:
                time.sleep(1)
        os._exit(0)
    os.close(w)
    grandchild = int(os.read(r, 64).decode())
    os.waitpid(middle, 0)
    print("middle", middle, flush=True)
    print("grandchild", grandchild, flush=True)
