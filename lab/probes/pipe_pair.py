"""Probe: two processes talk through a Pipe, the other IPC the page names (C21)."""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's timeout


def child(conn):
    conn.send(("hello from", os.getpid()))
    conn.close()


if __name__ == "__main__":
    parent_end, child_end = mp.Pipe()
    p = mp.Process(target=child, args=(child_end,))
    p.start()
    message = parent_end.recv()
    p.join(WAIT)
    _lab_hook.report("received", [message[0], message[1] == p.pid])
