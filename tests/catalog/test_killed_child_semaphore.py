"""Specs of L23: the leaked-semaphore warning after a child is killed
(lab/data/behaviors/killed_child_semaphore.toml)."""

from __future__ import annotations

import re
import signal
import sys

import pytest

from lab.expectations import expected
from lab.runner import Observation

WARNING = re.compile(r"resource_tracker: There appear to be (\d+) leaked (\w+) objects "
                     r"to clean up at shutdown(: \{.*\})?")


def tracker_warning(obs: Observation) -> str:
    """The tracker's warnings in the run's stderr, in words: count, kind, whether names follow."""
    found = [m for m in map(WARNING.search, obs.stderr) if m]
    if not found:
        return "no warning"
    return "; ".join(f"{m.group(1)} leaked {m.group(2)}" + (", named" if m.group(3) else "")
                     for m in found)


def ended_cleanly_but_for_the_warning(obs: Observation) -> None:
    assert not obs.timed_out, obs.summary()
    assert obs.exit_code == 0, obs.summary()
    assert obs.leftovers == [], obs.leftovers
    # Windows has no SIGKILL: Process.kill() is terminate() there, TerminateProcess, and the
    # exit code reads -SIGTERM (Lib/multiprocessing/popen_spawn_win32.py, kill = terminate).
    killed = -signal.SIGTERM if sys.platform == "win32" else -signal.SIGKILL
    assert obs.one("child_exitcode").value == killed


@pytest.mark.claim("L23")
def test_lock_in_the_child_is_a_named_semaphore(probe_run, spec, start_method):
    obs = probe_run("killed_child_semaphore", start_method)
    ended_cleanly_but_for_the_warning(obs)
    spec.check(obs.one("child_lock").value,
               expected("killed_child_lock", start_method=start_method))


@pytest.mark.claim("L23")
def test_tracker_warns_at_shutdown(probe_run, spec, start_method):
    obs = probe_run("killed_child_semaphore", start_method)
    ended_cleanly_but_for_the_warning(obs)
    spec.check(tracker_warning(obs),
               expected("killed_child_tracker_warning", start_method=start_method))
