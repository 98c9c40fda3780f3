"""Specs of the page's fork() section: the C program and its os.fork() port.

These programs call fork() directly, so no start method applies: each spec runs once, not once
per start method.
"""

from __future__ import annotations

import re

import pytest

from lab.fixtures import needs_c, needs_fork

pytestmark = needs_fork

PARENT_LINE = re.compile(r"I \((\d+)\) just created a child process \((\d+)\)")
CHILD_LINE = re.compile(r"I am child process \((\d+)\) and my parent is \((\d+)\)")


def printed_pids(lines: list[str]) -> dict[str, int]:
    """The pids the two lines of the fork() programs print."""
    found = {}
    for line in lines:
        if m := PARENT_LINE.search(line):
            found["parent"], found["child_seen_by_parent"] = int(m[1]), int(m[2])
        if m := CHILD_LINE.search(line):
            found["child"], found["parent_seen_by_child"] = int(m[1]), int(m[2])
    return found


@pytest.mark.claim("C01")
def test_fork_returns_twice(observe, spec):
    obs = observe("os_fork")
    returns = obs.values("fork_returned")
    processes = len({r.pid for r in returns})
    spec.check(processes, 2, labels={processes: f"returned in {processes} processes"})


@pytest.mark.claim("C02")
def test_fork_returns_child_pid_in_parent_and_zero_in_child(observe, spec):
    obs = observe("os_fork")
    by_value = {("zero" if r.value == 0 else "pid"): r for r in obs.values("fork_returned")}
    parent, child = by_value["pid"], by_value["zero"]
    spec.check(
        {"parent got": "the child's pid" if parent.value == child.pid else parent.value,
         "child got": child.value},
        {"parent got": "the child's pid", "child got": 0},
        labels=[({"parent got": "the child's pid", "child got": 0}, "child's pid / 0")],
    )


@pytest.mark.claim("C03")
def test_child_starts_as_a_copy_of_the_parent(probe, spec):
    obs = probe("fork_copy")
    spec.check(obs.one("child_saw").value, "set before fork")


@pytest.mark.claim("C03")
def test_child_random_state_is_reseeded_not_copied(probe, spec):
    # random.py registers os.register_at_fork(after_in_child=_inst.seed) (3.7+): the one part of
    # the data segment Python deliberately does not leave as a copy.
    obs = probe("fork_copy")
    spec.check(obs.one("child_random_state_is_parents").value, False,
               labels={True: "copied", False: "re-seeded"})


@pytest.mark.claim("C05")
def test_parent_and_child_share_nothing_after_fork(probe, spec):
    obs = probe("fork_copy")
    spec.check(
        [obs.one("child_changed_to").value, obs.one("parent_sees_after_child_exit").value],
        ["changed by the child", "set before fork"],
        labels=[(["changed by the child", "set before fork"], "not shared")],
    )


@pytest.mark.claim("C04")
@pytest.mark.parametrize("name", ["os_fork_waited", pytest.param("fork_c_waited", marks=needs_c)])
def test_getpid_and_getppid_when_the_parent_waits(observe, spec, name):
    obs = observe(name)
    pids = printed_pids(obs.stdout)
    spec.check(
        [pids["child_seen_by_parent"] == pids["child"],
         pids["parent_seen_by_child"] == pids["parent"]],
        [True, True],
        labels=[([True, True], "pids match"), ([True, False], "ppid differs"),
                ([False, True], "pid differs"), ([False, False], "neither matches")],
    )


@pytest.mark.claim("C04")
@pytest.mark.parametrize("name", ["os_fork", pytest.param("fork_c", marks=needs_c)])
def test_pids_agree_even_when_the_parent_does_not_wait(observe, spec, name):
    # As printed, only the child's own pid is sure to match: its parent may be gone by then.
    obs = observe(name)
    pids = printed_pids(obs.stdout)
    spec.check(pids["child_seen_by_parent"] == pids["child"], True,
               labels={True: "child's pid matches", False: "child's pid differs"})


@pytest.mark.claim("E-fork-orphan")
def test_orphaned_child_reports_another_parent(probe, spec):
    obs = probe("orphan_ppid")
    parent = obs.one("parent").value
    ppid = obs.one("ppid_after_parent_exit").value
    spec.check(ppid == parent["pid"], False,
               labels={True: "the parent", False: "an adoptive parent"})


@pytest.mark.claim("E-fork-negative")
def test_failed_fork_raises_instead_of_returning_negative(probe, spec):
    obs = probe("fork_failure")
    spec.check(obs.one("fork_failed").value.get("is_oserror"), True,
               labels={True: "raises OSError", False: "no OSError"})


@pytest.mark.claim("C06")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
@pytest.mark.parametrize("name", ["os_fork", "os_fork_waited"])
def test_output_matches_the_page(output_check, name, stdout):
    output_check(name, stdout=stdout)


@needs_c
@pytest.mark.claim("C00")
def test_c_program_prints_a_line_from_each_process(output_check):
    output_check("fork_c")
