"""Specs of L02c: set_start_method() at module level of the main script, with no guard
(lab/data/behaviors/set_start_method_module_level.toml)."""

import pytest

from lab.expectations import expected
from lab.runner import Observation


def in_words(obs: Observation) -> str:
    """Each process that ran the module body, in start order, what the call did there, then
    whether the target ran."""
    parts = []
    for record in sorted(obs.values("module_level_call"), key=lambda r: r.pid != obs.root_pid):
        role = ("the parent" if record.pid == obs.root_pid else
                "the child" if record.process.startswith("Process-") else "the fork server")
        parts.append(f"{role} ({record.value['name']}): {record.value['outcome']}")
    if obs.values("target_ran"):
        parts.append("target ran")
    else:
        parts.append(f"target did not run, exit code {obs.one('child_exitcode').value}")
    return "; ".join(parts)


@pytest.mark.claim("L02c")
def test_an_unguarded_module_level_call_in_each_process(probe, spec, start_method):
    obs = probe("set_start_method_module_level", start_method)
    spec.check(in_words(obs), expected("set_start_method_module_level",
                                       start_method=start_method))
