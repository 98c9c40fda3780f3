"""Merging results files from many runs into one matrix: claim x (platform, Python) x method.

A cell that no run reported is "not run", never passed. Two runs that report the same cell are
reconciled: when they agree the cell shows their common result, when they disagree the cell is a
conflict that shows each run's result. A file that cannot be read, or a folder that cannot be
searched, is listed with its one-line reason and the rest still merge. Each file merges once,
however many of the paths given name it (a file and its folder, a link, the same path twice).
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from lab import results
from lab.ledger import Claim, claims
from lab.platforms import ALL_METHODS, SUPPORTED_PYTHONS, platforms
from lab.status import Status, worst

PLATFORM_ORDER = tuple(platforms())  # linux, darwin, win32: the table's order
METHOD_ORDER = (*ALL_METHODS, None)


@dataclass(frozen=True, order=True)
class Column:
    """One platform and Python version: a minor version (a CI cell), or one release of it when
    two releases of that minor behave differently (3.13.0 beside 3.13.18)."""

    platform: str
    python: str
    # What stood in for the platform, e.g. "Wine 8.0": a Windows build run under Wine on Linux is
    # evidence about Windows, not Windows itself, so its results never share a column with it.
    stand_in: str = ""

    @property
    def title(self) -> str:
        return f"{self.platform_name} {self.python}{self.under}"

    @property
    def platform_name(self) -> str:
        known = platforms().get(self.platform)
        return known.name if known else self.platform

    @property
    def under(self) -> str:
        return f" ({self.stand_in})" if self.stand_in else ""

    def sort_key(self) -> tuple[int, bool, Any]:
        order = PLATFORM_ORDER.index(self.platform) if self.platform in PLATFORM_ORDER else 99
        try:
            return (order, bool(self.stand_in), Version(self.python))
        except InvalidVersion:
            return (order, bool(self.stand_in), Version("0"))


def stand_in(build: str) -> str:
    """The stand-in a results file's build names: "python.org embeddable under Wine 8.0" ->
    "Wine 8.0" (lab/platforms.py build)."""
    _, under, what = build.partition(" under ")
    return what if under else ""


@dataclass
class Result:
    """One run's result for one spec in one column."""

    outcome: Status
    observed: Any
    expected: Any
    reason: str
    evidence: list[str]
    python: str  # the full version
    label: str
    source: str  # the results file
    expected_source: str = ""  # why the lab expected it (lab/data/expectations.toml)
    build: str = ""  # who built the interpreter (pyenv, Debian, ...); "" in older files
    observed_label: str | None = None  # what was observed, in words; None: the spec gave none
    version: int = results.SCHEMA_VERSION  # of the results file: version 1 has no labels


@dataclass
class Cell:
    results: list[Result] = field(default_factory=list)

    @property
    def status(self) -> Status:
        """The runs' common outcome; a conflict when they differ, not run when there is none."""
        if not self.results:
            return Status.NOT_RUN
        keys = {(r.outcome, json.dumps(r.observed, sort_keys=True, default=repr))
                for r in self.results}
        if len(keys) > 1:
            return Status.CONFLICT
        return self.results[0].outcome

    @property
    def first(self) -> Result | None:
        return self.results[0] if self.results else None

    @property
    def label(self) -> str | None:
        """What the runs observed, in words: None when they gave no words or disagree."""
        labels = {r.observed_label for r in self.results}
        return labels.pop() if len(labels) == 1 else None

    @property
    def unlabelled_version(self) -> int | None:
        """The results file version that explains a missing label (1: it had none), if any."""
        old = [r.version for r in self.results if r.version < 2]
        return min(old) if old else None


Params = tuple[tuple[str, Any], ...]  # a spec's parameters but the start method, sorted


@dataclass
class SpecRow:
    """One spec (its name and parameters, the start method aside) under one start method."""

    name: str
    params: Params
    start_method: str | None
    cells: dict[Column, Cell] = field(default_factory=dict)

    @property
    def spec(self) -> str:
        """The name, with the parameters other than the start method in brackets."""
        if not self.params:
            return self.name
        shown = ", ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}"
                          for k, v in self.params)
        return f"{self.name}[{shown}]"

    def sort_key(self) -> tuple[str, str, int]:
        return (self.name, json.dumps(self.params, default=repr),
                METHOD_ORDER.index(self.start_method))


@dataclass
class Matrix:
    columns: list[Column]
    claims: list[Claim]
    rows: dict[str, list[SpecRow]]  # claim id -> rows
    files: list[str]
    problems: list[str]  # one line per file or folder that could not be read
    skipped: list[str] = field(default_factory=list)  # files passed over on purpose, with why
    # Specs with no claim: the lab's own machinery (runner, CLI, report). They are no row of the
    # claims table; the views give them one summary line, so a broken one is still seen.
    self_tests: list[SpecRow] = field(default_factory=list)

    def interpreters(self, column: Column) -> list[str]:
        """The interpreters a column's results came from, e.g. ["3.13.18 (Debian)"]."""
        found = {(r.python, r.build) for row in self.all_rows()
                 for r in row.cells.get(column, Cell()).results}
        return [f"{python} ({build})" if build else python
                for python, build in sorted(found, key=lambda pb: (_version(pb[0]), pb[1]))]

    def all_rows(self) -> list[SpecRow]:
        return [row for rows in self.rows.values() for row in rows] + self.self_tests

    def claim_status(self, claim_id: str, column: Column) -> Status:
        """The worst status of a claim's specs in a column."""
        return worst(row.cells.get(column, Cell()).status for row in self.rows.get(claim_id, []))

    def method_statuses(self, claim_id: str,
                        column: Column) -> list[tuple[str | None, Status]]:
        """The claim's status under each start method its specs use (None: no method applies)."""
        rows = self.rows.get(claim_id, [])
        methods = [m for m in METHOD_ORDER if any(r.start_method == m for r in rows)]
        return [(method, worst(r.cells.get(column, Cell()).status for r in rows
                               if r.start_method == method))
                for method in methods]

    def self_test_counts(self) -> dict[Column, dict[Status, int]]:
        """How many self-tests ended how, per column that reported any."""
        counts: dict[Column, dict[Status, int]] = {}
        for column in self.columns:
            found = [row.cells[column].status for row in self.self_tests if column in row.cells]
            if found:
                counts[column] = {s: found.count(s) for s in Status if s in found}
        return counts

    def broken_self_tests(self) -> list[tuple[SpecRow, Column, Cell]]:
        """Self-tests that did not pass or skip somewhere, with where: to be named."""
        return [(row, column, cell) for row in self.self_tests
                for column, cell in sorted(row.cells.items(), key=lambda c: c[0].sort_key())
                if cell.status.rank > Status.PASSED.rank]


FileKey = tuple[int, int]  # (device, inode): one file, whatever path names it
RESULTS_GLOB = "mplab-results-*.json"


@dataclass
class Found:
    """The results files under some paths, each once, and what was passed over and why.

    ``unreadable`` lines name folders that could not be searched (results may be missing, so the
    report shows them); ``skipped`` lines name files passed over on purpose (terminal only).
    """

    files: list[Path] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _reason(exc: OSError) -> str:
    return (exc.strerror or exc.__class__.__name__).lower()


def _key(path: Path) -> FileKey | str:
    """What makes two paths one file: device and inode, else (no such file) the full path."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        return os.path.normcase(os.path.abspath(path))
    if not st.st_ino:  # a file system without inode numbers
        return os.path.normcase(str(path.resolve()))
    return (st.st_dev, st.st_ino)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns)


def walk(folder: Path, unreadable: list[str]) -> list[Path]:
    """mplab-results-*.json under ``folder``, sorted; a subfolder that cannot be listed (no
    permission, say) is added to ``unreadable`` with its reason, where a glob would pass it over
    without a word."""

    def cannot_list(exc: OSError) -> None:
        unreadable.append(f"{exc.filename or folder}: folder not searched ({_reason(exc)})")

    found: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=cannot_list):
        dirs.sort()
        found += [Path(root, n) for n in names if fnmatch.fnmatch(n, RESULTS_GLOB)]
    return sorted(found)


def snapshot(paths: list[str | Path]) -> frozenset[tuple[int, int, int]]:
    """The results files under ``paths`` now, to leave out of a later merge: a results folder
    reused by a new run still holds the old run's files."""
    found = collect(paths)
    return frozenset(s for s in map(_stamp, found.files) if s)


def collect(paths: list[str | Path],
            exclude: frozenset[tuple[int, int, int]] = frozenset()) -> Found:
    """Results files among ``paths`` (files as given, folders searched), each distinct file once
    however many paths name it, less those in ``exclude`` (a :func:`snapshot`)."""
    found = Found()
    seen: dict[FileKey | str, Path] = {}
    for p in map(Path, paths):
        candidates = walk(p, found.unreadable) if p.is_dir() else [p]
        for path in candidates:
            if exclude and _stamp(path) in exclude:
                found.skipped.append(f"{path}: there before this run")
                continue
            key = _key(path)
            if key in seen:
                first = seen[key]
                found.skipped.append(f"{path}: given twice, merged once" if first == path
                                     else f"{path}: the same file as {first}, merged once")
                continue
            seen[key] = path
            found.files.append(path)
    return found


def find_files(paths: list[str | Path]) -> list[Path]:
    """Results files among ``paths``: files as given, folders searched, each file once."""
    return collect(paths).files


def _legacy_name(nodeid: str, start_method: str | None) -> str:
    """A spec's name from a file written before entries had ``name`` and ``params``: the node
    id less the start method's part of its parameters (pytest joins them with "-")."""
    if start_method and nodeid.endswith("]"):
        head, _, params = nodeid[:-1].rpartition("[")
        rest = [p for p in params.split("-") if p != start_method]
        return f"{head}[{'-'.join(rest)}]" if rest else head
    return nodeid


def _identity(entry: dict[str, Any]) -> tuple[str, Params]:
    """A spec's name and parameters (the start method aside), as its results entry gives them."""
    if "name" in entry:
        return entry["name"], tuple(sorted(entry.get("params", {}).items()))
    return _legacy_name(entry["nodeid"], entry.get("start_method")), ()


def _params_key(params: Params) -> str:
    return json.dumps(params, sort_keys=True, default=repr)


def _minor(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2])


def merge(paths: list[str | Path],
          exclude: frozenset[tuple[int, int, int]] = frozenset()) -> Matrix:
    """Read every results file under ``paths`` and merge what can be read.

    ``exclude``, a :func:`snapshot` taken before a run, leaves out the files already there.
    """
    return merge_found(collect(paths, exclude))


def merge_found(found: Found) -> Matrix:
    """Merge the files :func:`collect` found (a caller that checks them first reads them once)."""
    problems: list[str] = list(found.unreadable)
    merged_files: list[str] = []
    rows: dict[str | None, dict[tuple[str, str, str | None], SpecRow]] = defaultdict(dict)
    columns: set[Column] = {Column(p, v) for p in PLATFORM_ORDER for v in SUPPORTED_PYTHONS}
    for path in found.files:
        try:
            doc = results.read(path)
        except results.ResultsError as exc:
            problems.append(str(exc))
            continue
        merged_files.append(str(path))
        run = doc["run"]
        column = Column(run["platform"], _minor(run["python"]), stand_in(run.get("build", "")))
        columns.add(column)
        for entry in doc["specs"]:
            outcome = Status(entry["outcome"])
            if outcome is Status.NOT_RUN:  # an interrupted run never reached it
                continue
            method = entry.get("start_method")
            name, params = _identity(entry)
            row = rows[entry.get("claim") or None].setdefault(
                (name, _params_key(params), method), SpecRow(name, params, method))
            row.cells.setdefault(column, Cell()).results.append(Result(
                outcome=outcome,
                observed=entry.get("observed"),
                expected=entry.get("expected"),
                reason=entry.get("reason", ""),
                evidence=list(entry.get("evidence", [])),
                python=run["python"],
                label=run.get("label", ""),
                source=str(path),
                expected_source=entry.get("expected_source", ""),
                build=run.get("build", ""),
                observed_label=entry.get("label"),
                version=doc["version"],
            ))
    ledger = list(claims().values())
    known = {c.id for c in ledger}
    self_tests = sorted(rows.pop(None, {}).values(), key=SpecRow.sort_key)
    ordered_rows = {cid: sorted(found.values(), key=SpecRow.sort_key)
                    for cid, found in rows.items() if cid is not None}
    extra = [cid for cid in ordered_rows if cid not in known]
    every_row = [row for found in ordered_rows.values() for row in found] + self_tests
    return Matrix(
        columns=sorted(_split_releases(columns, every_row), key=Column.sort_key),
        claims=ledger + [_unknown_claim(cid) for cid in sorted(extra)],
        rows=ordered_rows,
        files=merged_files,
        problems=problems,
        skipped=list(found.skipped),
        self_tests=self_tests,
    )


def _split_releases(columns: set[Column], rows: list[SpecRow]) -> set[Column]:
    """Give each release of a minor version a column of its own where releases behave
    differently; where they agree the minor's one column stays (moving ``rows``' cells along).

    Releases differ when some spec's outcome or observed value under one is not what it is under
    another. Runs of one release that disagree stay one column: that is a conflict, not a
    version boundary.
    """
    for column in sorted(columns, key=Column.sort_key):
        def by_release(cell: Cell) -> dict[str, set[str]]:
            found: dict[str, set[str]] = defaultdict(set)
            for r in cell.results:
                found[r.python].add(json.dumps([r.outcome.value, r.observed], sort_keys=True,
                                               default=repr))
            return found

        cells = [row.cells[column] for row in rows if column in row.cells]
        releases = {r.python for cell in cells for r in cell.results}
        if len(releases) < 2 or not any(
                len({frozenset(v) for v in by_release(cell).values()}) > 1 for cell in cells):
            continue
        columns.discard(column)
        for row in rows:
            cell = row.cells.pop(column, None)
            for r in cell.results if cell else []:
                release = Column(column.platform, r.python, column.stand_in)
                columns.add(release)
                row.cells.setdefault(release, Cell()).results.append(r)
    return columns


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def _unknown_claim(claim_id: str) -> Claim:
    return Claim(id=claim_id, kind="claim", section="", quote="", gloss="(not in this ledger)",
                 verdict="untestable", reason="", conditions="", sources=())
