"""Specs of L05b: a module-level Lock in a child (lab/data/behaviors/module_level_lock.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L05b")
def test_module_level_lock(probe_run, spec, start_method):
    # probe_run: under forkserver the child's own module-level Lock can end as a "leaked
    # semaphore" warning of the resource tracker (seen on 3.11): part of the behavior.
    obs = probe_run("module_level_lock", start_method)
    assert obs.exit_code == 0 and not obs.leftovers, obs.summary()
    assert obs.one("child_exit").value == 0
    shared = not obs.one("child_took_lock").value
    spec.check(shared, expected("module_level_lock_shared", start_method=start_method))
