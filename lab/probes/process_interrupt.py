"""Probe: Process.interrupt() (3.14+, gh-131913) sends SIGINT: KeyboardInterrupt in the child (L27).

The child tells the parent it is waiting, then waits on a Pipe. The parent calls interrupt();
where the method does not exist (before 3.14) it tells the child to stop instead. The child
reports a KeyboardInterrupt and lets it propagate, so its exit code is 1 (a traceback on stderr).
"""
import multiprocessing as mp
import signal

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait


def wait_for_parent(conn):
    handler = signal.getsignal(signal.SIGINT)
    try:
        # Inside the try: the parent interrupts only after it has read this message.
        conn.send("default_int_handler" if handler is signal.default_int_handler
                  else repr(handler))
        if conn.poll(WAIT):
            conn.send("stopped by the parent's message: " + conn.recv())
        else:
            conn.send("waited in vain")
    except KeyboardInterrupt:
        conn.send("KeyboardInterrupt")
        raise  # uncaught, as in a child that does not expect it: exit code 1 (the docs' note)


if __name__ == "__main__":
    mine, theirs = mp.Pipe()
    p = mp.Process(target=wait_for_parent, args=(theirs,))
    p.start()
    _lab_hook.report("child_sigint_handler", mine.recv() if mine.poll(WAIT) else "no answer")
    try:
        p.interrupt()
        _lab_hook.report("interrupt", "sent")
    except AttributeError as exc:
        _lab_hook.report("interrupt", {"type": type(exc).__name__, "message": str(exc)})
        mine.send("stop")
    _lab_hook.report("child_saw", mine.recv() if mine.poll(WAIT) else "no answer")
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
