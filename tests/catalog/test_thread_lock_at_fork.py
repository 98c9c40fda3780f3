"""Specs of L11: a lock held by another thread at fork time stays locked in a forked child
(lab/data/behaviors/thread_lock_at_fork.toml)."""

import pytest

from lab.expectations import expected


@pytest.mark.claim("L11")
def test_lock_held_by_a_thread_when_the_child_starts(probe, spec, start_method):
    obs = probe("thread_lock_at_fork", start_method)
    assert obs.one("held_at_start").value is True, "the thread held the lock before start()"
    spec.check(obs.one("child_acquired").value,
               expected("thread_lock_at_fork_child_acquires", start_method=start_method))
