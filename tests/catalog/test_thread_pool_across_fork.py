"""Specs of L12: a ThreadPoolExecutor used before the child starts, used in the child
(lab/data/behaviors/thread_pool_across_fork.toml)."""

import pytest

from lab.expectations import expected


@pytest.mark.claim("L12")
def test_task_submitted_in_the_child_to_the_parents_executor(probe, spec, start_method):
    obs = probe("thread_pool_across_fork", start_method)
    assert obs.one("parent_task").value == 36, "the parent's worker thread ran a task first"
    spec.check(obs.one("child_task").value,
               expected("thread_pool_across_fork_child_task", start_method=start_method))


@pytest.mark.claim("L12")
def test_child_ends_normally_with_the_task_pending(probe, spec, start_method):
    obs = probe("thread_pool_across_fork", start_method)
    spec.check(obs.one("child_exitcode").value,
               expected("thread_pool_across_fork_child_exitcode", start_method=start_method))
