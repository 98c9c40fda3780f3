"""Specs of L06: lambdas and local functions as targets and in Pool.map
(lab/data/behaviors/unpicklable_targets.toml)."""
import pytest

from lab.expectations import expected

CASES = ["lambda_process", "local_process", "lambda_pool_map", "local_pool_map"]


@pytest.mark.claim("L06")
@pytest.mark.parametrize("case", CASES)
def test_unpicklable_target(probe, spec, start_method, case):
    obs = probe("unpicklable_targets", start_method)
    spec.check(obs.one(case).value, expected(f"unpicklable_{case}", start_method=start_method))
