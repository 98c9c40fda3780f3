"""Specs of the page's central example: a module-level random value under each start method.

Two draws of randint(0, 100) are equal about once in a hundred, so "the values differ" cannot
tell whether the module ran again. These specs assert the mechanism instead: which processes ran
the module body, under which name, and where the child's value came from.
"""

from __future__ import annotations

import pytest

from lab.expectations import expected
from lab.runner import Observation


def child_num_origin(obs: Observation) -> str:
    child_pid = obs.one("started").value
    bodies = {r.pid: r.value for r in obs.values("module_body")}
    seen = {r.pid: r.value for r in obs.values("num_seen")}
    parent = obs.root_pid
    if child_pid in bodies:
        assert bodies[child_pid]["num"] == seen[child_pid]
        return "re-drawn in the child"
    if set(bodies) == {parent}:
        assert seen[child_pid] == bodies[parent]["num"]
        return "inherited from the parent"
    others = set(bodies) - {parent, child_pid}
    if len(others) == 1:
        (server,) = others
        assert seen[child_pid] == bodies[server]["num"]
        return "inherited from the fork server"
    return f"unexplained: module bodies in {sorted(bodies)}, child {child_pid}"


@pytest.mark.claim("C12")
def test_where_the_childs_value_comes_from(observe, spec, start_method):
    obs = observe("random_state", start_method)
    spec.check(child_num_origin(obs), expected("child_num_origin", start_method=start_method))


@pytest.mark.claim("C11")
def test_module_body_runs_again_as_mp_main_unless_forked(observe, spec, start_method):
    obs = observe("random_state", start_method)
    names = sorted(r.value["name"] for r in obs.values("module_body"))
    spec.check(names, expected("module_body_names", start_method=start_method))


@pytest.mark.claim("C12")
def test_same_value_in_parent_and_child_only_under_fork(observe, spec, start_method):
    # The page's Linux output shows equal values. Equal is guaranteed only when the child
    # inherited the parent's draw; elsewhere equality is a 1-in-101 coincidence.
    obs = observe("random_state", start_method)
    guaranteed = child_num_origin(obs) == "inherited from the parent"
    spec.check(guaranteed, start_method == "fork",
               labels={True: "same num, guaranteed", False: "same num by chance only"})


@pytest.mark.claim("C12")
def test_page_program_as_a_reader_runs_it(observe, spec):
    # No start method chosen: what the page's reader gets on this platform and Python. On Linux
    # that is the page's "same num" up to 3.13, and not from 3.14 (default forkserver).
    obs = observe("random_state", None)
    shares = child_num_origin(obs) == "inherited from the parent"
    spec.check(shares, expected("default_run_shares_num"))


@pytest.mark.claim("C14")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
def test_output_matches_the_page(output_check, start_method, stdout):
    output_check("random_state", start_method, stdout)
