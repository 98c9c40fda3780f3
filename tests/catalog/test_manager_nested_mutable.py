"""Specs of L25: Manager proxies with nested mutables
(lab/data/behaviors/manager_nested_mutable.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L25")
def test_in_place_changes_to_a_plain_list_are_lost(probe, spec, start_method):
    obs = probe("manager_nested_mutable", start_method)
    assert obs.one("child_exitcode").value == 0
    spec.check([obs.one("plain_list_appended_in_place").value,
                obs.one("plain_list_assigned_back").value,
                obs.one("nested_proxy_appended").value],
               expected("manager_nested_values", start_method=start_method))


@pytest.mark.claim("L25")
def test_a_nested_shared_list_comes_back_as_a_proxy(probe, spec, start_method):
    obs = probe("manager_nested_mutable", start_method)
    spec.check(obs.one("nested_value_type").value, "ListProxy")
