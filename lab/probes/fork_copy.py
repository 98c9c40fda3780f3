"""Probe: after fork() the child starts as a copy of the parent, then they share nothing.

Claims C03 and C05. The child reads the parent's data, then changes it; the parent looks at its
own copy only after waitpid() has returned, so no timing is involved.
"""
import os
import random

import _path  # noqa: F401
import _lab_hook

data = {"value": "set before fork"}
state_before = random.getstate()

pid = os.fork()
if pid == 0:
    _lab_hook.report("child_saw", data["value"])
    data["value"] = "changed by the child"
    _lab_hook.report("child_changed_to", data["value"])
    # Python re-seeds `random` in a forked child (random.py registers an after-fork hook).
    _lab_hook.report("child_random_state_is_parents", random.getstate() == state_before)
    os._exit(0)
os.waitpid(pid, 0)
_lab_hook.report("parent_sees_after_child_exit", data["value"])
_lab_hook.report("parent_random_state_unchanged", random.getstate() == state_before)
