"""Every spec of a claim can fail.

Every run of the specs checks it, spec by spec, on the same observation (tests/conftest.py): each
``spec.check`` is also held against a wrong expectation. This file proves that guard catches a
spec that cannot fail, and re-runs two spec files end to end against wrong expectations (a
test-only plugin, tests/wrong_expectations.py, not a switch in the lab itself), so the guard's
verdict is seen to match a real failing run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from lab import contract
from lab.expectations import expectations, expected
from lab.interpreters import MINIMUM
from lab.ledger import claims
from lab.platforms import ALL_METHODS

TESTS = Path(__file__).parent
# Spec files re-run against wrong expectations, end to end: the ones whose expectations have
# real alternatives (another start method's or Python's value) and a catalog file.
END_TO_END = ("test_module_state.py", "test_process.py", "catalog/test_parent_pid.py")


@pytest.fixture(scope="module")
def wrong_run(tmp_path_factory) -> list[dict]:
    results = tmp_path_factory.mktemp("wrong") / "wrong.json"
    env = contract.without_lab(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    subprocess.run(
        # One process, no workers: two xdist workers would double the CPU it takes.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "wrong_expectations", "-m", "claim", "--mplab-results", str(results),
         *(str(TESTS / name) for name in END_TO_END)],
        env=env, cwd=TESTS.parent, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=900,
    )
    specs = json.loads(results.read_text(encoding="utf-8"))["specs"]
    return [s for s in specs if s["outcome"] != "skipped"]


def test_every_claim_spec_fails_against_a_wrong_expectation(wrong_run):
    assert wrong_run, "no claim spec ran"
    assert all(s["claim"] for s in wrong_run), "-m claim selects the claim specs only"
    still_passing = [s["nodeid"] for s in wrong_run if s["outcome"] == "passed"]
    assert still_passing == [], f"specs that pass whatever they expect: {still_passing}"
    assert {s["outcome"] for s in wrong_run} == {"failed"}


def test_specs_that_state_an_expectation_fail_on_its_real_alternative(wrong_run):
    # Handed another rule's value (what another start method, platform or Python shows), a
    # spec fails: it tells the behaviors apart, as the ledger says they differ.
    sourced = {s["nodeid"].split("[")[0]: s for s in wrong_run if s.get("expected_source")}
    for name in ("tests/test_process.py::test_which_process_getppid_names_in_the_child",
                 "tests/test_module_state.py::test_where_the_childs_value_comes_from"):
        assert sourced[name]["expected_source"].startswith("another rule: ")
        assert "deliberately wrong" not in json.dumps(sourced[name]["expected"])


def _methods_named(text: str) -> set[str]:
    """Start methods named as words (not inside an erratum id such as E-fork-orphan)."""
    return {m for m in ALL_METHODS if re.search(rf"(?<![-\w]){m}(?![-\w])", text)}


def _releases(entry) -> set[str]:
    """One Python per span between the version boundaries ``entry``'s rules name (each is `>=`
    or `<`, so a span starts at a boundary), and this interpreter: a difference by start method
    may hold only up to a fix, as L12b's up to 3.13.1."""
    bounds = {Version(s.version) for r in entry.rules if "python" in r.when
              for s in SpecifierSet(r.when["python"])}
    return ({str(v) for v in bounds if v >= MINIMUM}
            | {str(MINIMUM), ".".join(map(str, sys.version_info[:3]))})


def test_where_the_ledger_says_start_methods_differ_the_expectations_differ():
    varying = [c for c in claims().values() if c.verdict == "conditional"
               and _methods_named(f"{c.conditions} {c.reason}")]
    assert varying, "the ledger has claims that depend on the start method"
    for claim in varying:
        sets = [e for e in expectations().values() if e.claim == claim.id]
        assert sets, f"{claim.id} differs by start method, but no expectation says how"
        per_method = [{m: json.dumps(expected(e.name, start_method=m, python=python,
                                              sys_platform="linux").value) for m in ALL_METHODS}
                      for e in sets for python in _releases(e)]
        assert any(len(set(values.values())) > 1 for values in per_method), (claim.id,
                                                                              per_method)


CANNOT_FAIL = """
import pytest


class EqualsAnything:
    def __eq__(self, other):
        return True


@pytest.mark.claim("C12")
def test_cannot_fail(spec):
    spec.check(EqualsAnything(), "inherited from the parent")


@pytest.mark.claim("C12")
def test_states_nothing(spec):
    assert True


@pytest.mark.claim("C12")
def test_can_fail(spec):
    spec.check("re-drawn in the child", "re-drawn in the child")


@pytest.mark.claim("C12")
def test_skipped(spec):
    pytest.skip("no start method here")
"""


def test_the_guard_catches_a_spec_that_cannot_fail(tmp_path):
    (tmp_path / "conftest.py").write_text((TESTS / "conftest.py").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (tmp_path / "test_guarded.py").write_text(CANNOT_FAIL, encoding="utf-8")
    env = contract.without_lab(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    results = tmp_path / "results.json"
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
                    "no:xdist", "--rootdir", str(tmp_path), "--mplab-results", str(results),
                    "."], cwd=tmp_path, env=env, capture_output=True, timeout=300)
    outcomes = {s["nodeid"].split("::")[1]: (s["outcome"], s.get("reason", ""))
                for s in json.loads(results.read_text(encoding="utf-8"))["specs"]}
    assert outcomes["test_cannot_fail"][0] == "failed"
    assert "this check cannot fail" in outcomes["test_cannot_fail"][1]
    assert outcomes["test_states_nothing"] == (
        "error", "Failed: a claim spec passed without spec.check: it states nothing that can fail")
    assert outcomes["test_can_fail"][0] == "passed"
    assert outcomes["test_skipped"][0] == "skipped"
