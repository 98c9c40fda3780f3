"""Specs of L05: a global changed in __main__ after import
(lab/data/behaviors/module_state_after_import.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L05")
def test_global_changed_in_main(probe, spec, start_method):
    obs = probe("module_state_after_import", start_method)
    assert obs.one("child_exit").value == 0
    spec.check(obs.one("child_setting").value,
               expected("module_state_child_setting", start_method=start_method))
