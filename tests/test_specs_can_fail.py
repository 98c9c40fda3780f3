"""Every spec of a claim can fail: run them all against wrong expectations and see each fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
CLAIM_SPEC_FILES = ["test_fork.py", "test_process.py", "test_module_state.py", "test_pool.py",
                    "test_queue.py", "test_platforms.py", "test_summary.py"]


@pytest.mark.skipif(os.environ.get("MPLAB_WRONG_EXPECTATIONS") == "1",
                    reason="already inside the wrong-expectations run")
def test_every_claim_spec_fails_against_a_wrong_expectation(tmp_path):
    results = tmp_path / "wrong.json"
    env = {**os.environ, "MPLAB_WRONG_EXPECTATIONS": "1"}
    env.pop("MPLAB_RESULTS_DIR", None)
    env.pop("MPLAB_PROGRESS_FILE", None)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
         "--mplab-results", str(results), *(str(TESTS / f) for f in CLAIM_SPEC_FILES)],
        env=env, cwd=TESTS.parent, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=900,
    )
    specs = json.loads(results.read_text(encoding="utf-8"))["specs"]
    claimed = [s for s in specs if s["claim"] and s["outcome"] != "skipped"]
    still_passing = [s["nodeid"] for s in claimed if s["outcome"] == "passed"]
    assert claimed, "no claim spec ran"
    assert still_passing == [], f"specs that pass whatever they expect: {still_passing}"
    assert {s["outcome"] for s in claimed} == {"failed"}
    # A spec that states its expectation through lab.expectations says why, failed or not.
    sourced = {s["nodeid"].split("[")[0] for s in claimed if s.get("expected_source")}
    assert "tests/test_process.py::test_which_process_getppid_names_in_the_child" in sourced
    assert "tests/test_module_state.py::test_where_the_childs_value_comes_from" in sourced
