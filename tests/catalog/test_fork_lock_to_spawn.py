"""Specs of L08: a Lock or Semaphore of the fork context passed to a spawn or forkserver Process
(lab/data/behaviors/fork_lock_to_spawn.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected
from lab.runner import Observation


def what_happens(obs: Observation, what: str) -> str:
    """start()'s error, or what the child received: the outcome in words."""
    ended = obs.one(what).value
    if ended == "no fork context on this platform":  # Windows: nothing was made or passed
        return ended
    if ended.endswith("at start(): A SemLock created in a fork context is being shared with "
                      "a process in a spawn context"):
        return ended
    parent = obs.one(what + "_in_parent").value
    child = obs.one(what + "_in_child").value
    if child == parent and child["name"] is None and ended != "works":
        # The parent's address of an unlinked semaphore, in another process image: a crash,
        # or worse. The evidence shows how this child ended.
        return "the child gets a dangling handle"
    return ended


@pytest.mark.claim("L08")
@pytest.mark.parametrize("what", ["lock", "semaphore"])
def test_fork_context_semlock_in_another_start_method(probe, spec, start_method, what):
    obs = probe("fork_lock_to_spawn", start_method)
    spec.check(what_happens(obs, what),
               expected("fork_lock_to_spawn_outcome", start_method=start_method))
