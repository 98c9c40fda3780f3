"""Probe: SharedMemory and the resource tracker (L24, bpo-39959 / gh-82300).

The parent creates a segment. A multiprocessing child attaches to it and exits: children share
their parent's resource tracker, so the segment stays. Then an unrelated Python process (started
with subprocess, so with a resource tracker of its own) attaches and exits: its tracker unlinks
the segment it never created, with a warning. The parent then tries to attach by name again.
"""
import multiprocessing as mp
import re
import subprocess
import sys
from multiprocessing import resource_tracker, shared_memory

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait

ATTACH = """
import sys
from multiprocessing import shared_memory
shm = shared_memory.SharedMemory(name=sys.argv[1])
shm.buf[1] = 2
shm.close()
"""


def attach(name):
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[0] = 1
    shm.close()


def still_there(name):
    try:
        other = shared_memory.SharedMemory(name=name)
    except FileNotFoundError:
        return "unlinked"
    other.close()
    return "still there"


if __name__ == "__main__":
    shm = shared_memory.SharedMemory(create=True, size=16)
    try:
        p = mp.Process(target=attach, args=(shm.name,))
        p.start()
        p.join(WAIT)
        _lab_hook.report("child_exitcode", p.exitcode)
        _lab_hook.report("after_multiprocessing_child", still_there(shm.name))
        other = subprocess.run([sys.executable, "-c", ATTACH, shm.name], capture_output=True,
                               text=True, timeout=WAIT)
        _lab_hook.report("unrelated_process_exitcode", other.returncode)
        # 3.13+ names the leaked objects after a colon (gh-106739): the names are random.
        warned = [re.sub(r": \{.*\}$", "", line.split("UserWarning: ", 1)[1])
                  for line in other.stderr.splitlines() if "UserWarning: resource_tracker" in line]
        _lab_hook.report("unrelated_process_warning", warned)
        _lab_hook.report("after_unrelated_process", still_there(shm.name))
        _lab_hook.report("bytes_written", [shm.buf[0], shm.buf[1]])
    finally:
        shm.close()
        try:
            shm.unlink()
        except FileNotFoundError:
            # Already unlinked by the other process's tracker: our tracker still holds the name
            # and would warn at exit; the usual workaround is to unregister it.
            resource_tracker.unregister(shm._name, "shared_memory")
