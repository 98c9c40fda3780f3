"""Specs of L21: a daemonic process cannot have children
(lab/data/behaviors/daemon_children.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L21")
def test_daemon_cannot_start_a_process(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check(obs.one("daemon_starts_process").value,
               expected("daemon_children_outcome", start_method=start_method))


@pytest.mark.claim("L21")
def test_daemon_cannot_make_a_pool(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check(obs.one("daemon_makes_pool").value,
               expected("daemon_children_outcome", start_method=start_method))


@pytest.mark.claim("L21")
def test_non_daemon_child_can(probe, spec, start_method):
    obs = probe("daemon_children", start_method)
    spec.check([obs.one("non_daemon_starts_process").value,
                obs.one("non_daemon_makes_pool").value],
               expected("daemon_children_control", start_method=start_method))
