"""Specs of L26: set_forkserver_preload() (lab/data/behaviors/forkserver_preload.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected
from lab.runner import Observation

STDLIB, BESIDE = "colorsys", "forkserver_preload"


def found_in_words(found: list[str]) -> str:
    return {(STDLIB, BESIDE): "both modules", (STDLIB,): "the stdlib module only",
            (BESIDE,): "the module beside the script only", (): "neither module"}[tuple(found)]


def body_runs(obs: Observation) -> str:
    runs = [r for r in obs.values("module_body_ran") if r.value["as"] == BESIDE]
    ppids = set(obs.one("children_ppids").value)
    if not runs:
        return "never"
    if len(runs) == 1 and {runs[0].pid} == ppids and runs[0].pid != obs.root_pid:
        return "once, in the fork server"
    return f"{len(runs)} time(s), in {sorted(r.pid for r in runs)}; children's parents {ppids}"


@pytest.mark.claim("L26")
def test_children_find_the_preloaded_modules(probe, spec, start_method):
    obs = probe("forkserver_preload", start_method)
    found = {found_in_words(f) for f in obs.one("children_found").value}
    assert len(found) == 1, found  # both children alike
    spec.check(found.pop(), expected("forkserver_preload_children_found",
                                     start_method=start_method))


@pytest.mark.claim("L26")
def test_preloaded_module_runs_once_in_the_fork_server(probe, spec, start_method):
    obs = probe("forkserver_preload", start_method)
    spec.check(body_runs(obs), expected("forkserver_preload_body_runs",
                                        start_method=start_method))


def main_reimported(obs: Observation) -> str:
    runs = {r.pid for r in obs.values("module_body_ran") if r.value["as"] == "__mp_main__"}
    children = {r.pid for r in obs.values("module_body_ran") if r.value["as"] == BESIDE}
    ppids = set(obs.one("children_ppids").value)
    if not runs:
        return "nowhere"
    if runs & (ppids | children) - {obs.root_pid}:
        return "in the fork server"
    return "in each child" if len(runs) == 2 else f"in {len(runs)} processes"


@pytest.mark.claim("L26")
def test_the_call_replaces_the_preload_of_main(probe, spec, start_method):
    # set_forkserver_preload() replaces the list, ['__main__'] by default: the fork server
    # no longer imports the main script, so forkserver children import it themselves.
    obs = probe("forkserver_preload", start_method)
    spec.check(main_reimported(obs), expected("forkserver_preload_main_reimported",
                                              start_method=start_method))
