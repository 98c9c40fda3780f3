"""Specs of L12b: a Process started from a ThreadPoolExecutor's worker thread
(lab/data/behaviors/fork_from_pool_thread.toml)."""

import pytest

from lab.expectations import expected


@pytest.mark.claim("L12b")
def test_exit_code_of_a_child_started_from_an_executor_thread(probe, spec, start_method):
    obs = probe("fork_from_pool_thread", start_method)
    assert obs.values("child_ran"), "the child ran its target"
    spec.check(obs.one("child_exitcode").value,
               expected("fork_from_pool_thread_exitcode", start_method=start_method))
