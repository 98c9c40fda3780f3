"""Specs of L21: a daemonic process cannot have children
(lab/data/behaviors/daemon_children.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected
from lab.runner import Observation


def outcome(obs: Observation, unchecked: str) -> str:
    """The check is an assert: which expectation holds depends on whether multiprocessing was
    compiled with its asserts (not under -O, nor in python.org's embeddable package)."""
    return "daemon_children_outcome" if obs.one("stdlib_asserts").value else unchecked


@pytest.mark.claim("L21")
def test_daemon_cannot_start_a_process(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check(obs.one("daemon_starts_process").value,
               expected(outcome(obs, "daemon_children_process_unchecked"),
                        start_method=start_method))


@pytest.mark.claim("L21")
def test_daemon_cannot_make_a_pool(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check(obs.one("daemon_makes_pool").value,
               expected(outcome(obs, "daemon_children_pool_unchecked"),
                        start_method=start_method))


@pytest.mark.claim("L21")
def test_non_daemon_child_can(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check([obs.one("non_daemon_starts_process").value,
                obs.one("non_daemon_makes_pool").value],
               expected("daemon_children_control", start_method=start_method))
