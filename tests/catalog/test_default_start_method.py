"""Specs of L01: the default start method (lab/data/behaviors/default_start_method.toml).

These specs take no start method: the probe runs with none set, as a user's program does.
"""

import pytest

from lab.expectations import expected


@pytest.mark.claim("L01")
def test_nothing_is_chosen_before_first_use(probe, spec):
    obs = probe("default_start_method", None)
    value = obs.one("before_first_use").value
    spec.check("none" if value is None else value, expected("default_start_method_unset"))


@pytest.mark.claim("L01")
def test_the_default_start_method(probe, spec):
    obs = probe("default_start_method", None)
    spec.check(obs.one("default").value, expected("default_start_method_default"))


@pytest.mark.claim("L01")
def test_all_start_methods_in_the_order_returned(probe, spec):
    obs = probe("default_start_method", None)
    spec.check(obs.one("all_methods").value, expected("default_start_method_all"))
