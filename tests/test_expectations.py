"""Expectations know their claim, and a spec's results keep why the lab expected what it did."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from lab.expectations import expectations, expected
from lab.ledger import claims
from lab.pytest_plugin import SpecRecord

TESTS = Path(__file__).parent


@cache  # the sources do not change during a run; parsing them per case cost seconds
def expectations_read_by_spec() -> dict[str, set[str]]:
    """For each expectation: the claims marked on the specs that call expected(NAME, ...).

    A spec that passes a parameter, not a literal name, reads the expectation names its module
    spells (a parametrize list of cases, say)."""
    found: dict[str, set[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):  # tests/catalog/ too
        tree = ast.parse(path.read_text(encoding="utf-8"))
        spelled = {n.value for n in ast.walk(tree)
                   if isinstance(n, ast.Constant) and n.value in expectations()}
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            marked = {d.args[0].value for d in node.decorator_list
                      if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                      and d.func.attr == "claim" and d.args and isinstance(d.args[0], ast.Constant)}
            for call in ast.walk(node):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id == "expected" and call.args):
                    continue
                names = ({call.args[0].value} if isinstance(call.args[0], ast.Constant)
                         else spelled)
                for name in names:
                    found.setdefault(name, set()).update(marked)
    return found


@pytest.mark.parametrize("name", list(expectations()))
def test_an_expectation_names_a_claim_of_the_ledger(name):
    assert expectations()[name].claim in claims()
    assert expectations()[name].description


@pytest.mark.parametrize("name", list(expectations()))
def test_the_specs_reading_an_expectation_check_its_claim(name):
    assert expectations_read_by_spec().get(name) == {expectations()[name].claim}


def test_check_records_an_expectations_value_and_source():
    want = expected("os_parent_of_child", start_method="forkserver")
    record = SpecRecord()
    record.check("the fork server", want)
    assert (record.expected, record.expected_source) == ("the fork server", want.source)
    assert want.source.startswith("Lib/multiprocessing/forkserver.py")
    with pytest.raises(AssertionError, match="expected 'the fork server'"):
        SpecRecord().check("the parent", want)


def test_a_plain_expected_value_has_no_source():
    record = SpecRecord()
    record.check(4, 4)
    assert (record.expected, record.expected_source) == (4, None)


@pytest.mark.parametrize(("python", "value"), [
    ("3.13.7", "re-drawn in the child"), ("3.13.8", "inherited from the fork server"),
    ("3.13.18", "inherited from the fork server"), ("3.14.0rc3", "re-drawn in the child"),
    ("3.14.0", "re-drawn in the child"), ("3.14.1", "inherited from the fork server"),
    ("3.15.0a1", "inherited from the fork server"),
])
def test_the_forkserver_fix_has_its_release_in_each_branch(python, value):
    # Misc/NEWS.d: gh-126631's fix is first in 3.13.8.rst, 3.14.1.rst and 3.15.0a1.rst.
    got = expected("child_num_origin", start_method="forkserver", python=python)
    assert (got.value, "NEWS.d" in got.source) == (value, True)


@pytest.mark.parametrize("python", ["3.14.0a1", "3.14.0b1", "3.14.0rc3", "3.14.0"])
def test_pre_releases_of_3_14_have_its_default(python):
    from lab.platforms import platforms

    assert platforms()["linux"].default_for(python).method == "forkserver"
    assert expected("default_run_shares_num", python=python, sys_platform="linux").value is False
