"""Specs of L04: the main module re-run as __mp_main__, and how often
(lab/data/behaviors/mp_main_reruns.toml)."""

from __future__ import annotations

from collections import Counter

import pytest

from lab.expectations import expected
from lab.runner import Observation


def where_the_body_ran_again(obs: Observation) -> str:
    """Where the module body ran besides the parent's one run as __main__, in words."""
    runs = Counter(r.pid for r in obs.values("module_body"))
    names = {r.value for r in obs.values("module_body") if r.pid != obs.root_pid}
    processes = [r.value for r in obs.values("child")]
    workers = [r.value for r in obs.values("worker")]
    children = set(processes) | set(workers)
    if runs[obs.root_pid] != 1 or len(children) != 5 or obs.one("squares").value != [
            x * x for x in range(6)]:
        return f"unexplained: runs {dict(runs)}, children {sorted(children)}"
    again = {pid: n for pid, n in runs.items() if pid != obs.root_pid}
    if names - {"__mp_main__"}:
        return f"unexplained: ran again as {sorted(names)}"
    if not again:
        return "only in the parent"
    if set(again) == children and set(again.values()) == {1}:
        return "once in each of the 5 children (3 Processes, 2 pool workers)"
    if len(again) == 1 and not children & set(again) and set(again.values()) == {1}:
        return "once in the fork server, in no child"
    return f"unexplained: runs {dict(runs)}, children {sorted(children)}"


@pytest.mark.claim("L04")
def test_how_often_the_main_module_runs_again(probe, spec, start_method):
    obs = probe("mp_main_reruns", start_method)
    spec.check(where_the_body_ran_again(obs),
               expected("mp_main_reruns_where", start_method=start_method))
