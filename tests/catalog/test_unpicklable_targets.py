"""Specs of L06: lambdas and local functions as targets and in Pool.map
(lab/data/behaviors/unpicklable_targets.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L06")
def test_lambda_as_process_target(probe, spec, start_method):
    obs = probe("unpicklable_targets", start_method)
    spec.check(obs.one("lambda_process").value,
               expected("unpicklable_lambda_process", start_method=start_method))


@pytest.mark.claim("L06")
def test_local_function_as_process_target(probe, spec, start_method):
    obs = probe("unpicklable_targets", start_method)
    spec.check(obs.one("local_process").value,
               expected("unpicklable_local_process", start_method=start_method))


@pytest.mark.claim("L06")
def test_lambda_in_pool_map(probe, spec, start_method):
    obs = probe("unpicklable_targets", start_method)
    spec.check(obs.one("lambda_pool_map").value,
               expected("unpicklable_lambda_pool_map", start_method=start_method))


@pytest.mark.claim("L06")
def test_local_function_in_pool_map(probe, spec, start_method):
    obs = probe("unpicklable_targets", start_method)
    spec.check(obs.one("local_pool_map").value,
               expected("unpicklable_local_pool_map", start_method=start_method))
