"""Specs of L02: set_start_method() called twice
(lab/data/behaviors/set_start_method_twice.toml)."""

import pytest

from lab.expectations import expected


@pytest.mark.claim("L02")
def test_a_second_call_raises(probe, spec, start_method):
    obs = probe("set_start_method_twice", start_method)
    spec.check(obs.one("second_call").value, expected("set_start_method_twice_second_call",
                                                      start_method=start_method))


@pytest.mark.claim("L02")
def test_force_replaces_the_method(probe, spec, start_method):
    obs = probe("set_start_method_twice", start_method)
    assert obs.one("forced_call").value == "accepted"
    spec.check(obs.one("after_force_is_the_other").value,
               expected("set_start_method_twice_forced", start_method=start_method))


@pytest.mark.claim("L02")
def test_a_child_starts_with_the_method_forced_last(probe, spec, start_method):
    obs = probe("set_start_method_twice", start_method)
    assert obs.one("child_exitcode").value == 0
    spec.check(obs.one("child_start_method").value, start_method)
