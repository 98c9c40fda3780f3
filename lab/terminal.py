"""The matrix in a terminal: the Differences view, then the claims in at most 100 columns.

Cells use the labels' short forms. Columns of one platform whose cells all read the same are
shown once ("Linux 3.9–3.12"); what still does not fit is named, with where to see it whole.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lab import views
from lab.merge import Column, Matrix
from lab.report import reported_columns, self_test_line
from lab.status import Status

WIDTH = 100
STYLES = {
    Status.PASSED: "green", Status.FAILED: "bold red", Status.ERROR: "bold red",
    Status.TIMEOUT: "bold yellow", Status.CONFLICT: "bold magenta", Status.SKIPPED: "dim",
    Status.NOT_RUN: "dim",
}
ABBREV = {"fork": "f", "spawn": "s", "forkserver": "fs", views.NO_METHOD: "d"}
CLAIM_WIDTH = 14  # "E-fork-negative" folds; Lnn and Cnn fit
VERDICT_WIDTH = 11


def _words(parts: list[tuple[str, str, Status]], abbreviate: bool) -> Text:
    text = Text()
    for i, (method, word, status) in enumerate(parts):
        if i:
            text.append("\n")
        if method:
            text.append(f"{ABBREV.get(method, method) if abbreviate else method} ", style="dim")
        text.append(word, style=STYLES[status])
    return text


def differences_table(matrix: Matrix, width: int) -> Table | None:
    diffs = views.differences(matrix)
    if not diffs:
        return None
    methods = [m for m in views.METHOD_ORDER if any(m in d.by_method for d in diffs)]
    table = Table(title="Differences: what varies across start method, platform and Python",
                  width=width, show_lines=True)
    table.add_column("claim", no_wrap=True)
    table.add_column("behavior", ratio=3)
    table.add_column("varies by", ratio=1)
    for method in methods:
        table.add_column(views.method_name(method), ratio=2)
    for d in diffs:
        cells = []
        for method in methods:
            wheres = d.by_method.get(method, [])
            parts = [(w.title.replace("Linux ", "") if len(wheres) > 1 else "",
                      views.short_label(w.label, views.TERMINAL_MAX * 2), w.status)
                     for w in wheres]
            cells.append(_words(parts, abbreviate=False) if parts else Text("–", style="dim"))
        table.add_row(d.claim.id, d.spec, ", ".join(d.varies_by), *cells)
    return table


def claims_table(matrix: Matrix, width: int) -> tuple[Table, list[str]]:
    """The claims table and the titles of the column groups that did not fit."""
    groups = views.column_groups(matrix, reported_columns(matrix))
    cells = {(c.id, g[0]): views.claim_cell(matrix, c.id, g[0]) for c in matrix.claims
             for g in groups}

    def needed(group: list[Column]) -> int:
        title = views.group_title(group)
        longest = max((len(ABBREV.get(m, m)) + 1 + len(w) if m else len(w)
                       for c in matrix.claims
                       for m, w, _ in cells[(c.id, group[0])].words(limit=views.TERMINAL_MAX)),
                      default=0)
        return max(longest, min(len(title), 12)) + 3

    room = width - (CLAIM_WIDTH + 3) - (VERDICT_WIDTH + 3) - 1
    shown, left_out = [], []
    for group in groups:
        if not left_out and needed(group) <= room:
            shown.append(group)
            room -= needed(group)
        else:
            left_out.append(views.group_title(group))
    table = Table(title="Claims: what each start method observed",
                  caption="f fork · s spawn · fs forkserver · d the default (no method chosen); "
                          "colour: green held, red failed, yellow timed out, dim skipped")
    table.add_column("claim", max_width=CLAIM_WIDTH, overflow="fold")
    table.add_column("verdict", max_width=VERDICT_WIDTH, overflow="fold")
    for group in shown:
        table.add_column(views.group_title(group), overflow="fold")
    for claim in matrix.claims:
        row = [_words(cells[(claim.id, g[0])].words(limit=views.TERMINAL_MAX), abbreviate=True)
               for g in shown]
        table.add_row(claim.id, claim.verdict, *row)
    return table, left_out


def show(matrix: Matrix, console: Console, html: str = "the HTML report") -> None:
    width = min(console.width, WIDTH)
    diffs = differences_table(matrix, width)
    if diffs is not None:
        console.print(diffs)
    else:
        console.print("Differences: no observed behavior differs across the merged runs.")
    table, left_out = claims_table(matrix, width)
    console.print(table)
    if left_out:
        console.print(f"{len(left_out)} more column(s) do not fit in {width} columns "
                      f"({', '.join(left_out)}): see {html}, or `mplab report --format json`.",
                      highlight=False, markup=False, width=width)
    console.print(self_test_line(matrix), highlight=False, markup=False, width=width,
                  style="red" if matrix.broken_self_tests() else None)
    for row, column, cell in matrix.broken_self_tests():
        console.print(f"  {cell.status.glyph} {row.spec} ({column.title})", highlight=False,
                      markup=False, soft_wrap=True)
