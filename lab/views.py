"""What the matrix observed, in words: the claims table's cells and the Differences view.

A person opens the matrix to learn how multiprocessing behaves ("does the child see the parent's
``num``?"), not only whether the lab's expectation held. So each claim's cell shows what its
most telling spec observed under each start method ("fork: parent's · spawn: re-drawn"),
coloured by pass or fail, and the Differences view lists every behavior whose observed value
varies across start method, platform or Python: the page's "documented differences", made
executable. Every view (terminal, Markdown, HTML, JSON) takes its words from here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from lab import datafiles as df
from lab.ledger import Claim
from lab.merge import METHOD_ORDER, Cell, Column, Matrix, Params, SpecRow
from lab.status import Status, worst

LABELS_TOML = df.DATA_DIR / "labels.toml"
TERMINAL_MAX = 18  # the longest label the terminal's table shows as it is
NO_METHOD = "default"  # how a spec that takes no start method is named in the views
NO_LABELS_NOTE = "results file version 1: no observed labels"
SEPARATOR = " · "

SCHEMA = df.Table("the labels file", {"short": df.req(df.Each(df.TEXT)),
                                       "weak": df.req(df.ListOf(df.TEXT))})


@cache
def _labels() -> dict:
    return df.read(LABELS_TOML, SCHEMA).data


def _short_forms() -> dict[str, str]:
    return _labels()["short"]


def short_label(label: str, limit: int | None = None) -> str:
    """A label for a table cell: its short form from lab/data/labels.toml; beyond ``limit``
    characters (the terminal's), "KeyError: ..." becomes "KeyError" and the rest is cut."""
    label = _short_forms().get(label, label)
    if limit is None or len(label) <= limit:
        return label
    error = re.match(r"(\w+(?:Error|Exception|Warning|Exit|Interrupt))\b", label)
    if error:
        return error.group(1)
    return label[: limit - 1].rstrip() + "…"


def method_name(method: str | None) -> str:
    return method or NO_METHOD


SpecKey = tuple[str, Params]  # a spec's name and parameters: its rows differ by start method


def spec_title(name: str, params: Params) -> str:
    """A spec in words: "where the childs value comes from" for test_where_the_childs_..."""
    function = name.rsplit("::", 1)[-1]
    words = function.removeprefix("test_").replace("_", " ")
    if params:
        words += " (" + ", ".join(f"{k}={v}" for k, v in params) + ")"
    return words


def _groups(rows: list[SpecRow]) -> dict[SpecKey, list[SpecRow]]:
    found: dict[SpecKey, list[SpecRow]] = defaultdict(list)
    for row in rows:
        found[(row.name, row.params)].append(row)
    return dict(found)


def _observed(rows: list[SpecRow]) -> dict[tuple[Column, str | None], tuple[str, Status]]:
    """The label and status of each (column, start method) where the spec ran and said words.

    A conflict (runs of one cell disagree) says so instead of a label."""
    found = {}
    for row in rows:
        for column, cell in row.cells.items():
            status = cell.status
            if status in (Status.NOT_RUN, Status.SKIPPED):
                continue
            label = "runs disagree" if status is Status.CONFLICT else cell.label
            if label is not None:
                found[(column, row.start_method)] = (label, status)
    return found


def headline(matrix: Matrix, claim_id: str) -> list[SpecRow]:
    """The rows of the claim's most telling spec: the one whose observed words vary the most
    (across start methods, platforms and Pythons), then the first with any words at all."""
    best: list[SpecRow] = []
    best_score: tuple = (0, False, 0, 0)
    for rows in _groups(matrix.rows.get(claim_id, [])).values():
        observed = _observed(rows)
        labels = {label for label, _ in observed.values()}
        strong = labels - set(_labels()["weak"])
        sourced = any(r.expected_source for row in rows for cell in row.cells.values()
                      for r in cell.results)
        score = (len(strong), sourced, len(labels), len(observed))
        if score > best_score:
            best, best_score = rows, score
    return best


@dataclass(frozen=True)
class Part:
    """One start method's share of a claim's cell."""

    method: str | None
    status: Status
    label: str | None

    @property
    def name(self) -> str:
        return method_name(self.method)


@dataclass(frozen=True)
class ClaimCell:
    """A claim in one column: what its headline spec observed under each start method, coloured
    by the worst outcome of all the claim's specs under that method."""

    parts: tuple[Part, ...]
    others: Status = Status.NOT_RUN  # the claim's specs under methods the headline lacks
    note: str = ""

    @property
    def status(self) -> Status:
        return worst([*(p.status for p in self.parts), self.others])

    @property
    def collapsed(self) -> bool:
        """Every start method observed the same thing (or, without words, ended the same way)
        with the same outcome: the cell is one word."""
        ran = [p for p in self.parts if p.status is not Status.SKIPPED]
        labels = {p.label for p in ran}
        if len({p.status for p in ran}) > 1:
            return False  # a failure keeps its start method named
        return len(labels) == 1

    def words(self, short: bool = True,
              limit: int | None = None) -> list[tuple[str, str, Status]]:
        """(start method or "", what it observed, its status) per part; one part when the cell
        collapses. Without a label a part says its outcome ("pass"). ``short``: the labels'
        short forms, cut at ``limit`` characters."""

        def show(label: str) -> str:
            return short_label(label, limit) if short else label

        ran = [p for p in self.parts if p.status is not Status.NOT_RUN]
        if not ran:
            return [("", Status.NOT_RUN.label, Status.NOT_RUN)]
        if self.collapsed:
            label = next((p.label for p in ran if p.label is not None), None)
            return [("", show(label) if label else self.status.label, self.status)]
        return [(p.name if len(self.parts) > 1 else "",
                 show(p.label) if p.label is not None else p.status.label, p.status)
                for p in self.parts]

    def text(self, short: bool = True, limit: int | None = None) -> str:
        return SEPARATOR.join(f"{m}: {w}" if m else w for m, w, _ in self.words(short, limit))


def claim_cell(matrix: Matrix, claim_id: str, column: Column) -> ClaimCell:
    rows = matrix.rows.get(claim_id, [])
    top = headline(matrix, claim_id)
    statuses = dict(matrix.method_statuses(claim_id, column))
    if not top:  # no spec of this claim said what it observed in words
        cells = [r.cells.get(column, Cell()) for r in rows]
        old = any(c.unlabelled_version for c in cells)
        return ClaimCell(tuple(Part(m, s, None) for m, s in statuses.items()),
                         note=NO_LABELS_NOTE if old else "")
    parts = []
    for row in sorted(top, key=lambda r: METHOD_ORDER.index(r.start_method)):
        cell = row.cells.get(column, Cell())
        label = "runs disagree" if cell.status is Status.CONFLICT else cell.label
        parts.append(Part(row.start_method, statuses.get(row.start_method, cell.status), label))
    mine = {r.start_method for r in top}
    others = worst(s for m, s in statuses.items() if m not in mine)
    old = any(row.cells.get(column, Cell()).unlabelled_version for row in top)
    return ClaimCell(tuple(parts), others, NO_LABELS_NOTE if old else "")


@dataclass(frozen=True)
class Where:
    """A run of columns in which a spec under one start method observed one thing."""

    columns: tuple[Column, ...]
    label: str
    status: Status

    @property
    def title(self) -> str:
        first, last = self.columns[0], self.columns[-1]
        if first == last:
            return first.title
        if (first.platform, first.stand_in) == (last.platform, last.stand_in):
            return f"{first.platform_name} {first.python}–{last.python}{first.under}"
        return f"{first.title}–{last.title}"


@dataclass
class Difference:
    """A behavior whose observed words vary across start method, platform or Python."""

    claim: Claim
    spec: str  # the spec in words
    name: str  # the spec's name (node id without parameters)
    varies_by: list[str]
    by_method: dict[str | None, list[Where]] = field(default_factory=dict)

    @property
    def status(self) -> Status:
        return worst(w.status for ws in self.by_method.values() for w in ws)


def _runs(columns: list[Column], observed: dict[Column, tuple[str, Status]]) -> list[Where]:
    """Consecutive columns of one platform that observed the same thing, merged."""
    runs: list[Where] = []
    for column in columns:
        if column not in observed:
            continue
        label, status = observed[column]
        last = runs[-1] if runs else None
        if (last and last.label == label and last.columns[-1].platform == column.platform
                and last.columns[-1].stand_in == column.stand_in):
            runs[-1] = Where((*last.columns, column), label, worst([last.status, status]))
        else:
            runs.append(Where((column,), label, status))
    return runs


def differences(matrix: Matrix) -> list[Difference]:
    """Every spec whose observed words are not the same everywhere, in the ledger's order."""
    found = []
    for claim in matrix.claims:
        for (name, params), rows in _groups(matrix.rows.get(claim.id, [])).items():
            observed = _observed(rows)
            if len({label for label, _ in observed.values()}) < 2:
                continue
            methods = sorted({m for _, m in observed}, key=METHOD_ORDER.index)
            columns = sorted({c for c, _ in observed}, key=Column.sort_key)
            diff = Difference(claim, spec_title(name, params), name,
                              _varies_by(observed, methods, columns))
            for method in methods:
                diff.by_method[method] = _runs(columns, {c: v for (c, m), v in observed.items()
                                                         if m == method})
            found.append(diff)
    return found


def _varies_by(observed: dict[tuple[Column, str | None], tuple[str, Status]],
               methods: list[str | None], columns: list[Column]) -> list[str]:
    def label(column: Column, method: str | None) -> str | None:
        found = observed.get((column, method))
        return found[0] if found else None

    def varies(values: list[str | None]) -> bool:
        return len({v for v in values if v is not None}) > 1

    found = []
    if any(varies([label(c, m) for m in methods]) for c in columns):
        found.append("start method")
    platforms = sorted({c.platform for c in columns})
    if any(varies([label(c, m) for c in columns if c.platform == p])
           for m in methods for p in platforms):
        found.append("Python")
    minors = {c.python.rsplit(".", 1)[0] if c.python.count(".") > 1 else c.python
              for c in columns}
    if len(platforms) > 1 and any(
            varies([label(c, m) for c in columns if c.python.startswith(minor)])
            for m in methods for minor in minors):
        found.append("platform")
    return found or ["run"]


def column_groups(matrix: Matrix, columns: list[Column]) -> list[list[Column]]:
    """Consecutive columns of one platform in which every spec observed the same and ended the
    same, merged: the terminal shows "Linux 3.9–3.12" once instead of four equal columns."""
    groups: list[list[Column]] = []
    previous: tuple | None = None
    for column in columns:
        cells = [row.cells.get(column, Cell()) for rows in matrix.rows.values() for row in rows]
        key = tuple((cell.label, cell.status) for cell in cells)
        if groups and previous == key and (groups[-1][-1].platform, groups[-1][-1].stand_in) \
                == (column.platform, column.stand_in):
            groups[-1].append(column)
        else:
            groups.append([column])
        previous = key
    return groups


def group_title(group: list[Column]) -> str:
    return Where(tuple(group), "", Status.NOT_RUN).title
