"""Specs of L07: functions defined in python -c, stdin or the REPL as Process targets and in
Pool.map (lab/data/behaviors/interactive_main.toml)."""

import pytest

from lab.expectations import expected

MODES = ["c", "stdin", "repl"]


@pytest.mark.claim("L07")
@pytest.mark.parametrize("mode", MODES)
def test_function_from_a_main_without_file_as_process_target(probe, spec, start_method, mode):
    obs = probe("interactive_main", start_method)
    want = {"c": expected("interactive_main_c", start_method=start_method),
            "stdin": expected("interactive_main_stdin", start_method=start_method),
            "repl": expected("interactive_main_repl", start_method=start_method)}
    spec.check(obs.one(mode + "_process").value, want[mode])


@pytest.mark.claim("L07")
@pytest.mark.parametrize("mode", MODES)
def test_function_from_a_main_without_file_in_pool_map(probe, spec, start_method, mode):
    obs = probe("interactive_main", start_method)
    want = {"c": expected("interactive_main_c", start_method=start_method),
            "stdin": expected("interactive_main_stdin", start_method=start_method),
            "repl": expected("interactive_main_repl", start_method=start_method)}
    spec.check(obs.one(mode + "_pool").value, want[mode])
