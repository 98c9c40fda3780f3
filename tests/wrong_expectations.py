"""A pytest plugin for the can-fail check only (tests/test_specs_can_fail.py loads it with -p):
every claim spec is handed a wrong expectation, and must fail.

Where the lab's data knows another value of the same behavior (an Expectation whose other rules,
under another start method, platform or Python, say something else), the wrong expectation is
that other value: the spec then proves it tells the real alternatives apart, not only that it
reaches ``spec.check``. Elsewhere the expectation is wrapped so that nothing can equal it.
"""

from __future__ import annotations

from typing import Any

import pytest

from lab.expectations import Expectation, expectations
from lab.pytest_plugin import SpecRecord

WRAPPED = "deliberately wrong"


def wrong(expected: Any) -> Any:
    if isinstance(expected, Expectation):
        others = [rule.value for rule in expectations()[expected.name].rules
                  if rule.value != expected.value]
        if others:
            return Expectation(expected.name, others[0], f"another rule: {expected.source}")
        expected = expected.value
    if isinstance(expected, bool):
        return not expected
    return {WRAPPED: expected}


@pytest.fixture(autouse=True)
def _wrong_expectations(monkeypatch: pytest.MonkeyPatch) -> None:
    right = SpecRecord.check
    monkeypatch.setattr(SpecRecord, "check",
                        lambda self, observed, expected, **kw: right(self, observed,
                                                                     wrong(expected), **kw))
