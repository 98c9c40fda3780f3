"""The pytest plugin on a small project of its own: with xdist and without, one results file that
names each spec and its parameters, no trace in the JUnit XML, and outcomes from pytest's data."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from lab import contract
from lab.pytest_plugin import stopped_by_pytest_timeout

PROJECT = '''
import sys
import time

import pytest


@pytest.mark.claim("C12")
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
@pytest.mark.parametrize("line", ["a-fork", (1, 2)], ids=["text", "pair"])
def test_claimed(spec, start_method, line):
    spec.check(start_method, start_method)


def test_self():
    assert 1 + 1 == 3, "the lab's own check"


# Skipped on Windows, which has no SIGALRM; pytest-timeout reads the method even for a skipped
# spec, so the marker must not name "signal" there.
@pytest.mark.skipif(sys.platform == "win32", reason="no SIGALRM")
@pytest.mark.timeout(0.5, method="thread" if sys.platform == "win32" else "signal")
def test_stopped():
    time.sleep(30)
'''

XDIST = {"xdist": ["-n", "2"], "no xdist": ["-p", "no:xdist"]}


def _run(tmp_path: Path, files: dict[str, str], options: list[str]) -> subprocess.CompletedProcess:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = contract.without_lab(os.environ)
    env[contract.PROGRESS_FILE] = str(tmp_path / "progress")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options,
         "--rootdir", str(tmp_path), "--mplab-results", str(tmp_path / "results.json"),
         "--junitxml", str(tmp_path / "junit.xml"), "."],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def _results(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("options", XDIST.values(), ids=XDIST.keys())
def test_a_run_of_a_project_with_and_without_xdist(tmp_path, options):
    # One run of PROJECT for three checks: a pytest run with workers costs seconds.
    done = _run(tmp_path, {"test_x.py": PROJECT}, options)
    each_entry_names_its_spec_and_parameters(tmp_path, done)
    the_junit_xml_carries_no_results_record(tmp_path)
    if sys.platform != "win32":
        a_spec_pytest_timeout_stopped_is_a_timeout(tmp_path)


def each_entry_names_its_spec_and_parameters(tmp_path: Path, done: subprocess.CompletedProcess):
    specs = _results(tmp_path)["specs"]
    by_identity = {(s["name"], json.dumps(s["params"]), s["start_method"]): s for s in specs}
    claimed = [by_identity[("test_x.py::test_claimed", json.dumps({"line": line}), method)]
               for line in ("a-fork", "(1, 2)") for method in ("fork", "spawn")]
    assert [(s["claim"], s["outcome"], s["observed"]) for s in claimed] == [
        ("C12", "passed", method) for method in ("fork", "spawn") * 2], done.stdout
    self_test = by_identity[("test_x.py::test_self", "{}", None)]
    assert (self_test["claim"], self_test["outcome"]) == (None, "failed")
    assert self_test["reason"] == "AssertionError: the lab's own check"
    assert len(specs) == 6
    lines = (tmp_path / "progress").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{contract.PROGRESS_COLLECTED}6"  # collected first, then each spec
    assert sorted(lines[1:]) == sorted(s["nodeid"] for s in specs)


def the_junit_xml_carries_no_results_record(tmp_path: Path) -> None:
    root = ElementTree.parse(tmp_path / "junit.xml").getroot()
    assert len(list(root.iter("testcase"))) == 6
    assert [p.attrib for p in root.iter("property")] == []


def a_spec_pytest_timeout_stopped_is_a_timeout(tmp_path: Path) -> None:
    # pytest-timeout's signal method needs SIGALRM: PROJECT skips the spec on Windows.
    (stopped,) = [s for s in _results(tmp_path)["specs"] if s["name"].endswith("test_stopped")]
    assert stopped["outcome"] == "timeout"
    assert "from pytest-timeout" in stopped["reason"]


def _failure(message: str) -> pytest.ExceptionInfo:
    with pytest.raises(pytest.fail.Exception) as info:
        pytest.fail(message)
    return info


def test_only_pytest_timeouts_own_message_is_taken_for_it():
    # pytest-timeout marks nothing but its message; these are the ones it has used.
    assert stopped_by_pytest_timeout(_failure("Timeout (>300.0s) from pytest-timeout."))
    assert stopped_by_pytest_timeout(_failure("Timeout >300.0s"))  # before pytest-timeout 2.2
    assert not stopped_by_pytest_timeout(_failure("observed 'Timeout >1s', expected 'ok'"))
    with pytest.raises(AssertionError) as other:
        raise AssertionError("Timeout (>300.0s) from pytest-timeout.")
    assert not stopped_by_pytest_timeout(other)


def test_a_run_stopped_by_a_collection_error_says_so(tmp_path):
    # Without xdist a collection error stops the run before any spec (xdist runs the rest).
    done = _run(tmp_path, {"test_x.py": PROJECT, "test_broken.py": "import nowhere_at_all\n"},
                XDIST["no xdist"])
    assert done.returncode == 2, done.stdout
    doc = _results(tmp_path)
    assert doc["interrupted"]  # today "interrupted (Interrupted)": pytest raises one
    assert len(doc["specs"]) == 6
    assert {s["outcome"] for s in doc["specs"]} == {"not run"}


OUTSIDE = '''
import pytest


@pytest.mark.claim("C13")
def test_outside(spec, start_method, probe):
    obs = probe("pipe_pair", start_method)
    spec.check(obs.exit_code, 0)
'''


def test_a_spec_outside_this_repository_has_the_fixtures(tmp_path):
    # No conftest.py: start_method (one run per method), probe and spec come with the plugin.
    done = _run(tmp_path, {"test_outside.py": OUTSIDE}, ["-n", "2"])
    specs = _results(tmp_path)["specs"]
    assert sorted((s["start_method"], s["outcome"]) for s in specs) == sorted(
        (m, "passed" if m in multiprocessing.get_all_start_methods() else "skipped")
        for m in ("fork", "spawn", "forkserver")), done.stdout
    assert all(s["evidence"][0].startswith("$ probe:pipe_pair") for s in specs
               if s["outcome"] == "passed")


LABELLED = '''
import pytest

from lab.expectations import expected


@pytest.mark.claim("C12")
def test_words(spec):
    spec.check("re-drawn in the child", "re-drawn in the child")


@pytest.mark.claim("C12")
@pytest.mark.parametrize("shares", [True, False])
def test_boolean(spec, shares):
    spec.check(shares, shares, labels={True: "same value", False: "different value"})


@pytest.mark.claim("C12")
def test_list(spec):
    spec.check([True, 0], [True, 0], labels=[([True, 0], "blocks only the caller")])


@pytest.mark.claim("C12")
def test_exception(spec):
    error = {"type": "ValueError", "message": "Pool not running"}
    spec.check(error, error)


@pytest.mark.claim("C11")
def test_expectation_brings_its_labels(spec):
    value = expected("module_body_names", start_method="spawn")
    spec.check(["__main__", "__mp_main__"], value)


@pytest.mark.claim("C12")
def test_unlabelled(spec):
    spec.check(4, 4)
'''


def test_the_results_carry_what_was_observed_in_words(tmp_path):
    done = _run(tmp_path, {"test_labelled.py": LABELLED}, ["-p", "no:xdist"])
    assert done.returncode == 0, done.stdout
    labels = {s["nodeid"].split("::")[1]: s.get("label") for s in _results(tmp_path)["specs"]}
    assert labels == {
        "test_words": "re-drawn in the child",
        "test_boolean[True]": "same value",
        "test_boolean[False]": "different value",
        "test_list": "blocks only the caller",
        "test_exception": "ValueError: Pool not running",
        "test_expectation_brings_its_labels": "the module ran again as __mp_main__",
        "test_unlabelled": None,
    }
    assert _results(tmp_path)["version"] == 2
