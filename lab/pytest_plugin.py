"""The lab's pytest plugin: the ``claim`` marker, the ``spec`` fixture, and the results file.

A spec says which claim of the page it checks (``@pytest.mark.claim("C12")``) and states what it
observed against what the lab expects through ``spec.check(observed, expected)``. The plugin keeps
both with the test's outcome and writes one results file per run (lab/results.py), so a report can
say what was seen on each platform, not only pass or fail. It works under pytest-xdist: workers
attach each spec's record to its report, and the controller writes the file.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lab import results
from lab.expectations import Expectation
from lab.runner import Observation

_PROPERTY = "mplab-spec"


@dataclass
class SpecRecord:
    """What one spec observed, what it expected, and the evidence."""

    observed: Any = None
    expected: Any = None
    expected_source: str | None = None  # why the lab expects it, when an Expectation said
    evidence: list[str] = field(default_factory=list)
    example: str | None = None
    timed_out: bool = False

    def check(self, observed: Any, expected: Any) -> None:
        """Record and assert that what was observed is what the lab expects.

        ``expected`` may be an ``Expectation`` (lab.expectations.expected): its value is
        compared and its source recorded, so the results say why the lab expected it.
        With ``MPLAB_WRONG_EXPECTATIONS=1`` every expectation is replaced by a wrong one, so
        that a run shows each spec failing: a spec that still passes then checks nothing.
        """
        if isinstance(expected, Expectation):
            self.expected_source, expected = expected.source, expected.value
        if os.environ.get("MPLAB_WRONG_EXPECTATIONS") == "1":
            expected = {"deliberately wrong": expected}
        self.observed, self.expected = observed, expected
        assert observed == expected, f"observed {observed!r}, expected {expected!r}"

    def evidence_from(self, obs: Observation) -> Observation:
        """Keep a run's output as the spec's evidence; returns the run, for chaining."""
        self.example = obs.example
        self.timed_out = self.timed_out or obs.timed_out
        self.evidence = [
            f"$ {obs.example} (start method: {obs.start_method or 'none/default'}, "
            f"stdout: {obs.stdout_mode}) -> {obs.outcome}",
            *obs.stdout,
            *(f"[stderr] {line}" for line in obs.stderr[-5:]),
        ]
        return obs


SPEC_KEY = pytest.StashKey[SpecRecord]()


@pytest.fixture
def spec(request: pytest.FixtureRequest) -> SpecRecord:
    record = SpecRecord()
    request.node.stash[SPEC_KEY] = record
    return record


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mplab")
    group.addoption("--mplab-results", metavar="PATH",
                    help="write the run's results file here (a .json path or a folder); "
                         "default: a new file in $MPLAB_RESULTS_DIR when that is set")
    group.addoption("--mplab-label", metavar="TEXT", default=os.environ.get("MPLAB_LABEL"),
                    help="a name for the run, e.g. the CI cell (default: $MPLAB_LABEL)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(id): the claim of the page (lab/data/claims.toml) this spec checks"
    )
    config.stash[_HANDLERS] = _interrupt_on_termination()
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.stash[_COLLECTOR] = _Collector(config)
        config.pluginmanager.register(config.stash[_COLLECTOR], "mplab-results")


def pytest_unconfigure(config: pytest.Config) -> None:
    for signum, handler in config.stash.get(_HANDLERS, {}).items():
        signal.signal(signum, handler)


_HANDLERS = pytest.StashKey[dict]()


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _interrupt_on_termination() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP end the run as Ctrl-C does, for this session only.

    A CI cancel or a closed terminal would otherwise kill pytest outright: the examples that
    workers run (each in a session of its own) would live on, and no results file would say
    that the run was cut short. The previous handlers are put back at the end.
    """
    saved: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return saved
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == signal.SIG_DFL:
            saved[signum] = signal.signal(signum, _raise_interrupt)
    return saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    # A new list: pytest hands every phase's report the item's own list.
    report.user_properties = [
        *(p for p in report.user_properties if p[0] != _PROPERTY),
        (_PROPERTY, _payload(item)),
    ]


def _payload(item: pytest.Item) -> str:
    record = item.stash.get(SPEC_KEY, None)
    marker = item.get_closest_marker("claim")
    callspec = getattr(item, "callspec", None)
    data = {
        "claim": marker.args[0] if marker and marker.args else None,
        "start_method": callspec.params.get("start_method") if callspec else None,
    }
    if record is not None:
        data.update(observed=record.observed, expected=record.expected,
                    evidence=record.evidence, example=record.example,
                    timed_out=record.timed_out)
        if record.expected_source is not None:
            data["expected_source"] = record.expected_source
    return json.dumps(data, default=repr)


_COLLECTOR = pytest.StashKey["_Collector"]()


class _Collector:
    """Gathers every spec's phases into one entry and writes the results file at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.specs: dict[str, dict[str, Any]] = {}
        self.collected: dict[str, None] = {}  # node ids in collection order
        self.interrupted: str | None = None
        progress = os.environ.get("MPLAB_PROGRESS_FILE")
        self.progress = Path(progress) if progress else None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.specs.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "claim": None, "example": None, "start_method": None,
            "outcome": "not run", "duration": 0.0,  # until its call phase reports
        })
        entry["duration"] = round(entry["duration"] + report.duration, 4)
        for key, value in report.user_properties:
            if key == _PROPERTY:
                data = json.loads(value)
                timed_out = data.pop("timed_out", False)
                entry.update({k: v for k, v in data.items() if v is not None or k not in entry})
                if timed_out and report.failed:
                    entry["outcome"], entry["reason"] = "timeout", "the example timed out"
        if report.skipped:
            entry["outcome"] = "skipped"
            entry["reason"] = _skip_reason(report)
        elif report.passed and report.when == "call" and entry["outcome"] == "not run":
            entry["outcome"] = "passed"
        elif report.failed and entry["outcome"] != "timeout":
            text = str(report.longrepr or "")
            if "Timeout >" in text:  # pytest-timeout's "Failed: Timeout >Ns"
                entry["outcome"] = "timeout"
            else:
                entry["outcome"] = "failed" if report.when == "call" else "error"
            entry.setdefault("reason", _first_error_line(text))
        if report.when == "teardown" and self.progress:
            with self.progress.open("a", encoding="utf-8") as f:
                f.write(f"{entry['outcome']} {report.nodeid}\n")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected.update(dict.fromkeys(item.nodeid for item in session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.collected.update(dict.fromkeys(ids))  # every worker collects the same specs

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo) -> None:
        self.interrupted = f"interrupted ({excinfo.typename})"

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        target = self._target()
        if target is None:
            return
        if self.interrupted is None and exitstatus == pytest.ExitCode.INTERRUPTED:
            self.interrupted = "stopped before every spec ran (errors during collection?)"
        for entry in self.specs.values():
            if entry["outcome"] == "not run":  # set up, then interrupted before it ended
                entry["reason"] = f"the run was {self.interrupted or 'stopped'} while it ran"
        specs = [_clean(e) for e in self.specs.values()]
        if self.interrupted:
            specs += [{"nodeid": nodeid, "claim": None, "start_method": None,
                       "outcome": "not run", "reason": f"the run was {self.interrupted}"}
                      for nodeid in self.collected if nodeid not in self.specs]
        label = self.config.getoption("--mplab-label")
        doc = results.document(specs, label)
        if self.interrupted:
            doc["interrupted"] = self.interrupted
        path = results.write(target, doc)
        self.config.stash[_WRITTEN] = str(path)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        written = self.config.stash.get(_WRITTEN, None)
        if written:
            terminalreporter.write_line(f"mplab results: {written}")

    def _target(self) -> Path | None:
        option = self.config.getoption("--mplab-results")
        folder = os.environ.get("MPLAB_RESULTS_DIR")
        label = self.config.getoption("--mplab-label")
        if option:
            path = Path(option)
            return path if path.suffix == ".json" else results.default_path(path, label)
        if folder:
            return results.default_path(Path(folder), label)
        return None


_WRITTEN = pytest.StashKey[str]()


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    allowed = results.schema()["properties"]["specs"]["items"]["properties"]
    return {k: v for k, v in entry.items() if k in allowed}


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    text = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(
        longrepr or "skipped")
    return text[len("Skipped: "):] if text.startswith("Skipped: ") else text


def _first_error_line(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("E "):
            return line[1:].strip()[:300]
    return (text.strip().splitlines() or ["failed"])[-1][:300]
