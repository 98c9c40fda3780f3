"""Runs that must get somewhere before their timeout stops them, with the shortest timeout that
shows it.

A spec of the timeout path needs the program to have reached its hang (printed, started its
children) when the runner stops it. One timeout long enough for a loaded machine would cost its
whole length on every run. Instead the run is made with a short timeout and, only when the
program had not got there yet (a slow start under load), again with longer ones. The spec's
assertions then hold on a run that reached the hang, so no timing decides whether it passes.
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")
TIMEOUTS = (1.0, 5.0, 30.0)  # seconds: the first suffices unloaded, the last under any load


def until_ready(run: Callable[[float], T], ready: Callable[[T], bool],
                timeouts: tuple[float, ...] = TIMEOUTS) -> tuple[T, float]:
    """``run(timeout)`` with each timeout in turn until ``ready`` holds for what it returned;
    that result and its timeout, or the last ones, for the spec's assertions to say what
    was missing."""
    for timeout in timeouts:
        result = run(timeout)
        if ready(result):
            break
    return result, timeout
