"""The fixtures a spec needs, registered by the lab's pytest plugin wherever mplab is installed.

Like CPython's _test_multiprocessing, one body of specs is installed once per start method: a
spec that takes the ``start_method`` fixture runs under fork, spawn and forkserver, and a method
this platform lacks is skipped with the platform fact as the reason. ``observe``, ``probe``,
``probe_run`` (which accepts an unclean end) and ``output_check`` run a program once per worker
and settings and keep its output as the spec's evidence; ``spec`` (lab/pytest_plugin.py) records
what was observed and expected.

A spec outside this repository uses them as they are (docs/adding-a-spec.md).
"""

from __future__ import annotations

import multiprocessing
import os
from functools import cache

import pytest

from lab import catalog, ccompiler, runner
from lab.compare import compare
from lab.platforms import ALL_METHODS, this_platform
from lab.runner import Observation, Settings

NO_FORK = "os.fork() does not exist on this platform: Windows has no fork() system call"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Only where ``start_method`` is this fixture: a suite with one of its own keeps it.
    defs = getattr(metafunc, "_arg2fixturedefs", {}).get("start_method") or ()
    if defs and getattr(defs[-1].func, "__module__", None) == __name__:
        metafunc.parametrize("start_method", ALL_METHODS, indirect=True)


@pytest.fixture
def start_method(request: pytest.FixtureRequest) -> str:
    method = request.param
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(this_platform().why_unavailable(method))
    return method


needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason=NO_FORK)
needs_c = pytest.mark.skipif(
    ccompiler.why_not_compilable() is not None, reason=ccompiler.why_not_compilable() or ""
)


@cache
def _observe(name: str, start_method: str | None, stdout: str) -> Observation:
    return runner.run(catalog.get(name), Settings(start_method=start_method, stdout=stdout))


@cache
def _probe(name: str, start_method: str | None) -> Observation:
    return runner.run_probe(name, Settings(start_method=start_method))


def assert_clean(obs: Observation) -> Observation:
    """A run that ended by itself, with exit code 0, leaving no process or semaphore behind."""
    assert not obs.timed_out, obs.summary()
    assert obs.exit_code == 0, obs.summary() + "\n" + "\n".join(obs.stderr)
    assert obs.leftovers == [], f"processes left behind: {obs.leftovers}"
    assert obs.leaked_resources() == [], obs.leaked_resources()
    return obs


@pytest.fixture
def observe(spec):
    """Run an example (once per worker and settings: specs of the same run share it); its
    output becomes the spec's evidence."""

    def observe(name: str, start_method: str | None = None, stdout: str = "pipe") -> Observation:
        return assert_clean(spec.evidence_from(_observe(name, start_method, stdout)))

    return observe


AGREES = "same lines, in an order the program allows"


@pytest.fixture
def output_check(observe, spec):
    """Run an example and check its output against the expected (or the page's) output.

    With a pipe, only chains within one process are asserted: each process's lines stay in its
    own buffer until it flushes.
    """

    def check(name: str, start_method: str | None = None, stdout: str = "pipe",
              expected: tuple[str, ...] | None = None) -> None:
        obs = observe(name, start_method, stdout)
        result = compare(catalog.get(name), obs.stdout, expected=expected,
                         across_processes=stdout == "terminal")
        spec.check(result.explain(), AGREES)

    return check


@pytest.fixture
def probe(spec):
    """Run a probe (lab/probes/) once per worker and start method, as evidence of the spec."""

    def probe(name: str, start_method: str | None = None) -> Observation:
        return assert_clean(spec.evidence_from(_probe(name, start_method)))

    return probe


@pytest.fixture
def probe_run(spec):
    """Run a probe as ``probe`` does, without requiring a clean end: for a behavior whose symptom
    is the crash, the timeout or the warning itself. The spec asserts on what it needs."""

    def probe_run(name: str, start_method: str | None = None) -> Observation:
        return spec.evidence_from(_probe(name, start_method))

    return probe_run
