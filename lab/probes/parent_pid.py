"""Probe: os.getppid() against multiprocessing.parent_process() in a child (L17).

The child reports both pids; the parent names them: itself, the fork server (the pid
multiprocessing keeps for the server it started), or another process.
"""
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds


def child(conn):
    parent = mp.parent_process()
    conn.send({"getppid": os.getppid(), "parent_process": parent.pid if parent else None})
    conn.close()


def fork_server_pid():
    if mp.get_start_method() != "forkserver":
        return None
    from multiprocessing import forkserver
    return getattr(forkserver._forkserver, "_forkserver_pid", None)


def name(pid):
    if pid == os.getpid():
        return "the parent"
    if pid is not None and pid == fork_server_pid():
        return "the fork server"
    if pid is None:
        return "None"
    return "another process"


if __name__ == "__main__":
    reader, writer = mp.Pipe(duplex=False)
    p = mp.Process(target=child, args=(writer,))
    p.start()
    writer.close()
    if reader.poll(WAIT):
        pids = reader.recv()
        _lab_hook.report("getppid", name(pids["getppid"]))
        _lab_hook.report("parent_process_pid", name(pids["parent_process"]))
    else:
        _lab_hook.report("getppid", "no answer from the child")
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)
