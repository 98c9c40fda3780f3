"""Probe: a plain mutable inside a Manager dict is a copy; changing it in place is lost (L25).

``d['k']`` returns a copy of the stored list, so ``d['k'].append(1)`` changes the copy only.
Assigning the changed list back, or storing a nested proxy (3.6+), changes the managed value.
A child process does the same through the proxies it was given.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; bounds every wait


def mutate(d):
    d["plain"].append("child")
    copy = d["assigned"]
    copy.append("child")
    d["assigned"] = copy
    d["nested"].append("child")


if __name__ == "__main__":
    with mp.Manager() as manager:
        d = manager.dict()
        d["plain"] = []
        d["assigned"] = []
        d["nested"] = manager.list()
        d["plain"].append("parent")
        copy = d["assigned"]
        copy.append("parent")
        d["assigned"] = copy
        d["nested"].append("parent")
        p = mp.Process(target=mutate, args=(d,))
        p.start()
        p.join(WAIT)
        _lab_hook.report("child_exitcode", p.exitcode)
        _lab_hook.report("plain_list_appended_in_place", d["plain"])
        _lab_hook.report("plain_list_assigned_back", d["assigned"])
        _lab_hook.report("nested_proxy_appended", list(d["nested"]))
        _lab_hook.report("nested_value_type", type(d["nested"]).__name__)
