"""Specs of L10: random state in children: the stdlib reseeds after fork, a generator of your own
does not (lab/data/behaviors/random_after_fork.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected
from lab.runner import Observation


def who_draws_the_same(obs: Observation, generator: str) -> str:
    parent = obs.one("parent_draws").value[generator]
    children = [r.value["draws"][generator]
                for r in sorted(obs.values("child_draws"), key=lambda r: r.value["child"])]
    assert len(children) == 2, "both children reported"
    first, second = children
    if first == second == parent:
        return "parent and children draw the same"
    if first == second:
        return "the children draw the same, unlike the parent"
    if parent not in children:
        return "every process draws differently"
    return "one child draws as the parent, the other not"


@pytest.mark.claim("L10")
def test_stdlib_random_in_children(probe, spec, start_method):
    obs = probe("random_after_fork", start_method)
    spec.check(who_draws_the_same(obs, "stdlib"),
               expected("random_after_fork_stdlib", start_method=start_method))


@pytest.mark.claim("L10")
@pytest.mark.parametrize("generator", ["instance", "lcg"])
def test_own_generator_in_children(probe, spec, start_method, generator):
    obs = probe("random_after_fork", start_method)
    spec.check(who_draws_the_same(obs, generator),
               expected("random_after_fork_own", start_method=start_method))
