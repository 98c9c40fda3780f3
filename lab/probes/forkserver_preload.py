"""Probe: set_forkserver_preload() imports modules once, in the fork server (L26).

The parent asks for two modules: colorsys (stdlib; nothing else here imports it) and this very
file under its own name, ``forkserver_preload`` (a module beside the main script, whose body
reports each time it runs as that module). Two children then say which of the two they found
already imported. Under fork and spawn the call changes nothing: there is no fork server.

The call replaces the fork server's whole preload list, whose default is ``['__main__']``, so
the probe also reports each process that imports the main script again as ``__mp_main__``.
"""
import multiprocessing as mp
import os
import sys

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait
STDLIB = "colorsys"
BESIDE = "forkserver_preload"

if __name__ in (BESIDE, "__mp_main__"):
    _lab_hook.report("module_body_ran", {"as": __name__, "pid": os.getpid()})


def look(conn):
    conn.send({"found": [m for m in (STDLIB, BESIDE) if m in sys.modules],
               "ppid": os.getppid()})
    conn.close()


if __name__ == "__main__":
    mp.set_forkserver_preload([STDLIB, BESIDE])
    seen = []
    for _ in range(2):
        reader, writer = mp.Pipe(duplex=False)
        p = mp.Process(target=look, args=(writer,))
        p.start()
        writer.close()
        seen.append(reader.recv() if reader.poll(WAIT) else {"found": None, "ppid": None})
        p.join(WAIT)
    _lab_hook.report("children_found", [s["found"] for s in seen])
    _lab_hook.report("children_ppids", [s["ppid"] for s in seen])
    _lab_hook.report("parent", os.getpid())
