"""The specs' fixtures (``start_method``, ``observe``, ``probe``, ``output_check``, ``spec``) come
from the lab's pytest plugin (lab/fixtures.py), so that specs outside this repository have them
too. This file marks tests/ as the lab's checkout for `mplab matrix`.

It also makes every run of the claim specs prove that each of them can fail: each ``spec.check``
is held against a wrong expectation too (tests/wrong_expectations.py: another rule's value where
the lab's data knows one), in the same run, on the same observation, so no program runs twice.
A check that a wrong expectation would also pass fails the spec; a claim spec that passes
without any ``spec.check`` is an error. (tests/test_specs_can_fail.py proves the guard itself,
and re-runs a few spec files against wrong expectations end to end.)
"""

from __future__ import annotations

import pytest
import wrong_expectations

from lab.expectations import Expectation
from lab.pytest_plugin import SpecRecord

CALL_PASSED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[CALL_PASSED] = report.passed


@pytest.fixture(autouse=True)
def _every_claim_spec_can_fail(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    if (request.node.get_closest_marker("claim") is None
            or request.config.pluginmanager.has_plugin("wrong_expectations")):
        yield  # not a claim spec, or the end-to-end run that hands out wrong expectations
        return
    checks: list[object] = []
    right = SpecRecord.check

    def check(self, observed, expected, **kw):
        right(self, observed, expected, **kw)  # the real assertion comes first
        bad = wrong_expectations.wrong(expected)
        bad_value = bad.value if isinstance(bad, Expectation) else bad
        checks.append(observed)
        if observed == bad_value:
            raise AssertionError(f"this check cannot fail: {observed!r} also equals the wrong "
                                 f"expectation {bad_value!r}")

    monkeypatch.setattr(SpecRecord, "check", check)
    yield
    if request.node.stash.get(CALL_PASSED, False) and not checks:
        pytest.fail("a claim spec passed without spec.check: it states nothing that can fail",
                    pytrace=False)
