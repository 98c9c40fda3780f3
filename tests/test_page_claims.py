"""Specs of the page's claims added on its second reading (C27-C32, lab/data/claims.toml)."""

from __future__ import annotations

import os
import re

import pytest

from lab.expectations import expected
from lab.fixtures import needs_fork


@needs_fork
@pytest.mark.claim("C27")
def test_the_return_value_tells_parent_from_child(observe, spec):
    # Raw os.fork(): no start method applies.
    obs = observe("os_fork_waited")
    printed = {}
    for line in obs.stdout:
        child = re.match(r"I am child process \((\d+)\)", line)
        parent = re.match(r"I \((\d+)\) just created a child process \((\d+)\)", line)
        if child:
            printed[int(child.group(1))] = "printed the child's line"
        elif parent:
            printed[int(parent.group(1))] = "printed the parent's line"
    by_return = {("0" if r.value == 0 else "the child's pid"): printed.get(r.pid, "printed nothing")
                 for r in obs.values("fork_returned")}
    spec.check(by_return, {"0": "printed the child's line",
                           "the child's pid": "printed the parent's line"},
               labels=[({"0": "printed the child's line",
                         "the child's pid": "printed the parent's line"}, "0: child, pid: parent")])


@pytest.mark.claim("C28")
def test_the_os_module_has_fork_on_posix(observe, spec):
    observed = "os.fork exists" if hasattr(os, "fork") else "no os.fork"
    if hasattr(os, "fork"):  # and it makes a process: fork() returned in two
        obs = observe("os_fork_waited")
        assert len({r.pid for r in obs.values("fork_returned")}) == 2
    spec.check(observed, expected("os_fork_available"))


@pytest.mark.claim("C29")
def test_start_starts_the_child(probe, spec, start_method):
    obs = probe("start_and_join", start_method)
    expected = [{"pid": None, "alive": False, "children": 0, "target ran": False}, True]
    spec.check([obs.one("before_start").value, obs.one("target_ran_after_start").value],
               expected, labels=[(expected, "nothing before start()")])


@pytest.mark.claim("C30")
def test_after_join_the_childs_work_is_done(probe, spec, start_method):
    obs = probe("start_and_join", start_method)
    after = {"alive": False, "exitcode": 0, "child's write": 42}
    spec.check(obs.one("after_join").value, after, labels=[(after, "child done, write seen")])


@pytest.mark.claim("C31")
@pytest.mark.parametrize("example", ["process_join", "random_state", "pool", "queue_pair_fixed"])
def test_the_pages_programs_run_under_every_start_method(observe, spec, start_method, example):
    # observe() fails unless the run ended by itself with exit code 0 and left nothing behind.
    obs = observe(example, start_method)
    spec.check("ran to a clean end" if obs.exit_code == 0 else obs.summary(),
               "ran to a clean end")


@pytest.mark.claim("C32")
def test_apply_async_submits_tasks_not_processes(observe, spec, start_method):
    obs = observe("pool", start_method)
    workers = set(obs.one("workers").value)
    tasks = obs.values("task")
    ran_in = {r.pid for r in tasks}
    spec.check({"apply_async calls": len(tasks), "more calls than processes": len(tasks) > len(
        ran_in), "every task in a pool worker": ran_in <= workers},
        {"apply_async calls": 5, "more calls than processes": True,
         "every task in a pool worker": True},
        labels=[({"apply_async calls": 5, "more calls than processes": True,
                  "every task in a pool worker": True}, "5 calls, fewer processes")])
