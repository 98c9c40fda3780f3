"""The lab's pytest plugin: the ``claim`` marker, the ``spec`` fixture, and the results file.

A spec says which claim of the page it checks (``@pytest.mark.claim("C12")``) and states what it
observed against what the lab expects through ``spec.check(observed, expected)``. The plugin keeps
both with the test's outcome and writes one results file per run (lab/results.py), so a report can
say what was seen on each platform, not only pass or fail. It works under pytest-xdist: workers
attach each spec's record to its report, and the controller writes the file.

Three parts, each with one job: ``pytest_runtest_makereport`` (in the process that ran the spec)
puts the spec's record on each report; ``_Collector`` (in the controller) folds a spec's reports
into one results entry, whose outcome ``classify`` decides; ``_Progress`` writes a line per
finished spec for ``mplab matrix``'s progress bar.
"""

from __future__ import annotations

import json
import re
import signal
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lab import contract, results
from lab.expectations import Expectation
from lab.runner import Observation
from lab.status import Status

# The fixtures a spec needs (start_method, observe, probe, output_check) come with the plugin.
pytest_plugins = ["lab.fixtures"]

# The report attribute that carries a spec's record. pytest keeps a report's extra attributes
# when it serializes one (TestReport(**extra)), so xdist brings it to the controller; unlike
# user_properties it is not written into the JUnit XML.
REPORT_KEY = "mplab_spec"


@dataclass
class SpecRecord:
    """What one spec observed, what it expected, and the evidence."""

    observed: Any = None
    expected: Any = None
    expected_source: str | None = None  # why the lab expects it, when an Expectation said
    label: str | None = None  # the observed value in words, e.g. "re-drawn in the child"
    evidence: list[str] = field(default_factory=list)
    example: str | None = None
    timed_out: bool = False

    def check(self, observed: Any, expected: Any, *,
              labels: Mapping[Any, str] | Iterable[tuple[Any, str]] | None = None) -> None:
        """Record and assert that what was observed is what the lab expects.

        ``expected`` may be an ``Expectation`` (lab.expectations.expected): its value is
        compared and its source recorded, so the results say why the lab expected it.
        ``labels`` name observed values that are not words themselves, e.g.
        ``{True: "same value", False: "different value"}``, or pairs for values a dict cannot
        key (lists): ``[([True, 0], "blocks only the caller")]``. An Expectation may bring its own:
        the matrix shows what was observed in words, not only whether it was expected.
        (tests/wrong_expectations.py replaces this in its own runs, to see every spec fail.)
        """
        vocabulary: dict[str, str] = {}
        if isinstance(expected, Expectation):
            vocabulary.update(expected.labels)
            self.expected_source, expected = expected.source, expected.value
        pairs = labels.items() if isinstance(labels, Mapping) else labels or ()
        vocabulary.update({_label_key(k): v for k, v in pairs})
        self.observed, self.expected = observed, expected
        self.label = label_of(observed, vocabulary)
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


def _label_key(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=repr)


def label_of(value: Any, vocabulary: Mapping[str, str]) -> str | None:
    """An observed value in words: its label; the value itself when it is a string; "Type:
    message" for an exception a probe reported as ``{"type": ..., "message": ...}``."""
    key = _label_key(value)
    if key in vocabulary:
        return vocabulary[key]
    if isinstance(value, dict) and isinstance(value.get("type"), str) and "message" in value:
        return f"{value['type']}: {value['message']}" if value["message"] else value["type"]
    return value if isinstance(value, str) else None


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
                         f"default: a new file in ${contract.RESULTS_DIR} when that is set")
    group.addoption("--mplab-label", metavar="TEXT", default=contract.label(),
                    help=f"a name for the run, e.g. the CI cell (default: ${contract.LABEL})")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(id): the claim of the page (lab/data/claims.toml) this spec checks"
    )
    if _recording(config):  # a run of the lab's specs, not any pytest run where mplab is
        config.stash[_HANDLERS] = _interrupt_on_termination()
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.stash[_COLLECTOR] = _Collector(config)
        config.pluginmanager.register(config.stash[_COLLECTOR], "mplab-results")
        progress = contract.progress_file()
        if progress:
            config.pluginmanager.register(_Progress(progress), "mplab-progress")


def pytest_unconfigure(config: pytest.Config) -> None:
    for signum, handler in config.stash.get(_HANDLERS, {}).items():
        signal.signal(signum, handler)


_HANDLERS = pytest.StashKey[dict]()


def _recording(config: pytest.Config) -> bool:
    """Whether this run writes a results file (tox, mplab matrix, a CI cell)."""
    return bool(config.getoption("--mplab-results", None) or contract.results_dir())


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _interrupt_on_termination() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP end a recorded run as Ctrl-C does, for that session only.

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
    record = _record(item)
    if call.excinfo is not None and stopped_by_pytest_timeout(call.excinfo):
        record["pytest_timeout"] = True
    setattr(report, REPORT_KEY, record)


def spec_identity(item: pytest.Item) -> tuple[str, dict[str, Any]]:
    """A spec's name (its node id without parameters) and its parameters but the start method.

    Values that JSON cannot hold as they are become their ``repr``.
    """
    original = getattr(item, "originalname", None) or item.name
    name = item.nodeid[: len(item.nodeid) - len(item.name)] + original
    callspec = getattr(item, "callspec", None)
    params = {k: _json_value(v) for k, v in (callspec.params if callspec else {}).items()
              if k != "start_method"}
    return name, params


def _json_value(value: Any) -> Any:
    try:
        if json.loads(json.dumps(value)) == value:
            return value
    except (TypeError, ValueError):
        pass
    return repr(value)


def _record(item: pytest.Item) -> dict[str, Any]:
    """What a results entry takes from the spec itself, as plain JSON values: a report crosses
    from an xdist worker to the controller, which can carry no other kind."""
    record = item.stash.get(SPEC_KEY, None)
    marker = item.get_closest_marker("claim")
    callspec = getattr(item, "callspec", None)
    name, params = spec_identity(item)
    data: dict[str, Any] = {
        "claim": marker.args[0] if marker and marker.args else None,
        "start_method": callspec.params.get("start_method") if callspec else None,
        "name": name,
        "params": params,
    }
    if record is not None:
        data.update(observed=record.observed, expected=record.expected,
                    evidence=record.evidence, example=record.example,
                    timed_out=record.timed_out)
        if record.expected_source is not None:
            data["expected_source"] = record.expected_source
        if record.label is not None:
            data["label"] = record.label
    return json.loads(json.dumps(data, default=repr))


def _timeout_messages() -> re.Pattern[str]:
    try:
        from pytest_timeout import PYTEST_FAILURE_MESSAGE  # "Timeout (>%ss) from pytest-timeout."
    except ImportError:
        PYTEST_FAILURE_MESSAGE = "Timeout (>%ss) from pytest-timeout."
    current = re.escape(PYTEST_FAILURE_MESSAGE).replace("%s", ".+")
    return re.compile(rf"{current}|Timeout >.+s")  # the second: pytest-timeout before 2.2


_PYTEST_TIMEOUT = _timeout_messages()


def stopped_by_pytest_timeout(excinfo: pytest.ExceptionInfo) -> bool:
    """Whether pytest-timeout stopped the spec (its signal method; the thread method ends the
    process, which xdist reports as a crashed worker).

    pytest-timeout gives no structured mark: it calls ``pytest.fail`` with its own message. So
    the type is checked first, and the message, the only other signal, only here.
    """
    return (excinfo.errisinstance(pytest.fail.Exception)
            and _PYTEST_TIMEOUT.fullmatch(str(excinfo.value.msg or "")) is not None)


def classify(report: pytest.TestReport, timed_out: bool) -> Status | None:
    """The outcome one phase's report gives the spec; None when the phase changes nothing.

    ``timed_out``: the example the spec ran timed out, or pytest-timeout stopped the spec.
    A failure outside the test's call (setup, teardown, a crashed xdist worker) is an error.
    """
    if report.skipped:
        return Status.SKIPPED
    if report.failed:
        if timed_out:
            return Status.TIMEOUT
        return Status.FAILED if report.when == "call" else Status.ERROR
    return None


_COLLECTOR = pytest.StashKey["_Collector"]()


class _Collector:
    """Gathers every spec's phases into one entry and writes the results file at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.specs: dict[str, dict[str, Any]] = {}
        self.collected: dict[str, None] = {}  # node ids in collection order
        self.interrupted: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.specs.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "claim": None, "example": None, "start_method": None,
            "outcome": Status.NOT_RUN.value, "duration": 0.0,  # until its call phase reports
        })
        entry["duration"] = round(entry["duration"] + report.duration, 4)
        record = dict(getattr(report, REPORT_KEY, None) or {})
        example_timed_out = record.pop("timed_out", False)
        pytest_timeout = record.pop("pytest_timeout", False)
        entry.update({k: v for k, v in record.items() if v is not None or k not in entry})
        if entry["outcome"] == Status.TIMEOUT.value:
            return  # what broke after a timeout (a teardown, say) does not hide it
        status = classify(report, example_timed_out or pytest_timeout)
        if status is None:
            if report.when == "call" and entry["outcome"] == Status.NOT_RUN.value:
                entry["outcome"] = Status.PASSED.value  # a spec cut off mid-call is not run
            return
        entry["outcome"] = status.value
        if status is Status.SKIPPED:
            entry["reason"] = _skip_reason(report)
        elif status is Status.TIMEOUT and example_timed_out:
            entry["reason"] = "the example timed out"
        else:
            entry.setdefault("reason", _failure_line(report))

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
            if entry["outcome"] == Status.NOT_RUN.value:  # set up, then interrupted mid-call
                entry["reason"] = f"the run was {self.interrupted or 'stopped'} while it ran"
        specs = [_clean(e) for e in self.specs.values()]
        if self.interrupted:
            specs += [{"nodeid": nodeid, "claim": None, "start_method": None,
                       "outcome": Status.NOT_RUN.value,
                       "reason": f"the run was {self.interrupted}"}
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
        if self.config.getoption("collectonly", False):
            return None  # nothing ran: a results file would only count as an empty run
        option = self.config.getoption("--mplab-results")
        folder = contract.results_dir()
        label = self.config.getoption("--mplab-label")
        if option:
            path = Path(option)
            return path if path.suffix == ".json" else results.default_path(path, label)
        if folder:
            return results.default_path(Path(folder), label)
        return None


_WRITTEN = pytest.StashKey[str]()


class _Progress:
    """Writes the progress file (lab/contract.py) that ``mplab matrix`` reads for its progress
    bar while pytest runs: ``collected N`` once the specs are collected, then one line per
    finished spec. Knowing N from the run itself spares a second pytest run to collect."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.told = False

    def _write(self, line: str) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(f"{line}\n")

    def _collected(self, count: int) -> None:
        if not self.told:
            self.told = True
            self._write(f"{contract.PROGRESS_COLLECTED}{count}")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if not session.config.pluginmanager.has_plugin("dsession"):  # xdist's workers collect
            self._collected(len(session.items))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self._collected(len(ids))  # every worker collects the same specs

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown":
            self._write(report.nodeid)


def _clean(entry: dict[str, Any]) -> dict[str, Any]:
    allowed = results.schema()["properties"]["specs"]["items"]["properties"]
    return {k: v for k, v in entry.items() if k in allowed}


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    text = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(
        longrepr or "no reason given")
    return text[len("Skipped: "):] if text.startswith("Skipped: ") else text


def _failure_line(report: pytest.TestReport) -> str:
    """The failure's first line: the exception pytest reports as the crash, e.g.
    "AssertionError: observed 1, expected 2"; for a report with only text (xdist's crashed
    worker), that text's last line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", "") or ""
    if message.strip():
        return message.strip().splitlines()[0][:300]
    text = str(report.longrepr or "").strip()
    return (text.splitlines() or ["no message"])[-1][:300]
