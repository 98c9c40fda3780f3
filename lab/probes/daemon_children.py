"""Probe: a daemonic process cannot have children (L21).

A daemon child tries to start a Process and to make a Pool(1); a non-daemon child starts a
Process as a control. Each reports what happened through a Pipe, which has no semaphores.

The check is an assert, so the probe also reports whether this interpreter's multiprocessing
was compiled with its asserts: not under `python -O`, nor in python.org's embeddable Windows
package, whose standard library is optimized bytecode.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; every wait is bounded, far beyond what any step needs


def noop():
    pass


def outcome(exc):
    return {"type": type(exc).__name__, "message": str(exc)}


def try_children(conn):
    results = {}
    try:
        p = mp.Process(target=noop)
        p.start()
        p.join(WAIT)
        results["process"] = "started" if p.exitcode == 0 else f"exit code {p.exitcode}"
    except Exception as exc:
        results["process"] = outcome(exc)
    try:
        with mp.Pool(1) as pool:
            answer = pool.apply_async(abs, (-1,)).get(WAIT)
            results["pool"] = "ran a task" if answer == 1 else "wrong result"
    except Exception as exc:
        results["pool"] = outcome(exc)
    conn.send(results)
    conn.close()


def run_child(daemon):
    reader, writer = mp.Pipe(duplex=False)
    p = mp.Process(target=try_children, args=(writer,), daemon=daemon)
    p.start()
    writer.close()
    results = reader.recv() if reader.poll(WAIT) else {"process": "no answer", "pool": "no answer"}
    p.join(WAIT)
    return results


if __name__ == "__main__":
    _lab_hook.report("stdlib_asserts", "daemonic processes are not allowed to have children"
                     in mp.process.BaseProcess.start.__code__.co_consts)
    daemon = run_child(True)
    _lab_hook.report("daemon_starts_process", daemon["process"])
    _lab_hook.report("daemon_makes_pool", daemon["pool"])
    control = run_child(False)
    _lab_hook.report("non_daemon_starts_process", control["process"])
    _lab_hook.report("non_daemon_makes_pool", control["pool"])
