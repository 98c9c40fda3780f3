"""Probe: start() is what starts the child, and join() synchronizes with its end (C29, C30).

Before start() the Process object has no pid and no process exists: the child's event can only
be set by the child, so it is set only after start(). After join() returns, the child has ended
and what it wrote to shared memory is there for the parent to read.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; far beyond what the child needs, a third of the runner's 60 s timeout


def child(ran, box):
    ran.set()
    box.value = 42


if __name__ == "__main__":
    ran, box = mp.Event(), mp.Value("i", 0)
    p = mp.Process(target=child, args=(ran, box))
    _lab_hook.report("before_start", {"pid": p.pid, "alive": p.is_alive(),
                                      "children": len(mp.active_children()),
                                      "target ran": ran.is_set()})
    p.start()
    _lab_hook.report("target_ran_after_start", ran.wait(WAIT))
    p.join(WAIT)
    _lab_hook.report("after_join", {"alive": p.is_alive(), "exitcode": p.exitcode,
                                    "child's write": box.value})
