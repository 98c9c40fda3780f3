"""Specs of L03: starting a process without the main guard
(lab/data/behaviors/missing_main_guard.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L03")
def test_unguarded_program(probe_run, spec, start_method):
    # probe_run: the unguarded program's crash is the behavior; the probe itself reports it.
    obs = probe_run("missing_main_guard", start_method)
    spec.check(obs.one("outcome").value,
               expected("missing_main_guard_outcome", start_method=start_method))
