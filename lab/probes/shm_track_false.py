"""Probe: SharedMemory(track=False) keeps an unrelated process's tracker off the segment (L24b).

As in shm_attach_unlink, an unrelated Python process (subprocess, a resource tracker of its own)
attaches to the parent's segment and exits, but with track=False (gh-82300, 3.13+): its tracker
never hears of the segment, so it neither unlinks it nor warns. Before 3.13 the keyword does not
exist and the attach fails with TypeError.
"""
import json
import re
import subprocess
import sys
from multiprocessing import resource_tracker, shared_memory

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait

ATTACH = """
import json, sys
from multiprocessing import shared_memory
try:
    shm = shared_memory.SharedMemory(name=sys.argv[1], track=False)
except TypeError as exc:
    print(json.dumps("TypeError"))
else:
    shm.buf[0] = 7
    shm.close()
    print(json.dumps("attached"))
"""


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
        other = subprocess.run([sys.executable, "-c", ATTACH, shm.name], capture_output=True,
                               text=True, timeout=WAIT)
        _lab_hook.report("unrelated_process_exitcode", other.returncode)
        _lab_hook.report("attach_with_track_false",
                         json.loads(other.stdout) if other.stdout.strip() else other.stderr[-200:])
        warned = [re.sub(r": \{.*\}$", "", line.split("UserWarning: ", 1)[1])
                  for line in other.stderr.splitlines() if "UserWarning: resource_tracker" in line]
        _lab_hook.report("unrelated_process_warning", warned)
        _lab_hook.report("after_unrelated_process", still_there(shm.name))
        _lab_hook.report("byte_written", shm.buf[0])
    finally:
        shm.close()
        try:
            shm.unlink()
        except FileNotFoundError:
            resource_tracker.unregister(shm._name, "shared_memory")
