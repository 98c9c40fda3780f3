"""The lab's pytest plugin: the ``claim`` marker and the ``spec`` fixture.

A spec says which claim of the page it checks (``@pytest.mark.claim("C12")``) and states what it
observed against what the lab expects through ``spec.check(observed, expected)``; the plugin keeps
both with the test's outcome, so a results file can say what was seen, not only pass or fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from lab.runner import Observation


@dataclass
class SpecRecord:
    """What one spec observed, what it expected, and the evidence."""

    observed: Any = None
    expected: Any = None
    evidence: list[str] = field(default_factory=list)
    example: str | None = None

    def check(self, observed: Any, expected: Any) -> None:
        """Record and assert that what was observed is what the lab expects."""
        self.observed, self.expected = observed, expected
        assert observed == expected, f"observed {observed!r}, expected {expected!r}"

    def evidence_from(self, obs: Observation) -> Observation:
        """Keep a run's output as the spec's evidence; returns the run, for chaining."""
        self.example = obs.example
        self.evidence = [
            f"$ {obs.example} (start method: {obs.start_method or 'none/default'}, "
            f"stdout: {obs.stdout_mode}) -> {obs.outcome}",
            *obs.stdout,
            *(f"[stderr] {line}" for line in obs.stderr[-5:]),
        ]
        return obs


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(id): the claim of the page (lab/data/claims.toml) this spec checks"
    )


@pytest.fixture
def spec(request: pytest.FixtureRequest) -> SpecRecord:
    record = SpecRecord()
    request.node.stash[SPEC_KEY] = record
    return record


SPEC_KEY = pytest.StashKey[SpecRecord]()
