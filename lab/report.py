"""Rendering a merged matrix: compact Markdown (a CI job summary) and one self-contained HTML page.

The HTML needs no network and no script: styles are inline, evidence opens with <details>. All
text from results files is program output, so the template escapes everything.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import string
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from lab import views
from lab.errors import LabError
from lab.merge import Cell, Column, Matrix
from lab.status import Status, legend

# The Markdown's header and the note that it was cut fit in this many bytes; a smaller limit
# would give a table cut to nothing with no word of why.
MIN_MARKDOWN_BYTES = 1024

LEGEND = legend()  # the terminal's and the Markdown's
# Words, not emoji, in the HTML: a machine without an emoji font shows boxes for those.
HTML_LEGEND = legend(words=True)


def short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=repr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


CELL_NOTE = ("A cell says what the claim's most telling spec observed under each start method "
             "(\"default\": the platform's own, or none), in one word where all agree; a mark "
             "before a word means the lab's expectation did not hold there.")
def stand_in_note(matrix: Matrix) -> str:
    """Words for the columns another system stood in for (Windows under Wine), or ""."""
    stand_ins = sorted({c.stand_in for c in matrix.columns if c.stand_in})
    if not stand_ins:
        return ""
    return (f"Columns marked ({', '.join(stand_ins)}) ran python.org's Windows CPython under "
            "Wine on Linux: what they observed is Wine's evidence about Windows, not Windows "
            "itself. Where no real Windows column ran, the report's Windows behavior was "
            "observed under Wine only.")


DIFFERENCES_NOTE = ("Each behavior whose observed value varies across start method, platform or "
                    "Python: what each start method showed, and where.")


def reported_columns(matrix: Matrix) -> list[Column]:
    """The columns for which some claim has a result: the claims table's."""
    return [c for c in matrix.columns
            if any(matrix.claim_status(cl.id, c) is not Status.NOT_RUN for cl in matrix.claims)]


def self_test_line(matrix: Matrix) -> str:
    """One line for the specs of the lab's own machinery, which are no row of the claims table.

    They check no claim of the page, but a broken one means the lab itself cannot be trusted
    there, so each column's counts are given, failed always among them.
    """
    counts = matrix.self_test_counts()
    if not counts:
        return "Lab self-tests: none in the merged files."
    shown = []
    for column, found in counts.items():
        first = (Status.PASSED, Status.FAILED)  # always said, so that "0 failed" is read
        order = [*first, *sorted((s for s in found if s not in first), key=lambda s: -s.rank)]
        words = ", ".join(f"{found.get(s, 0)} {s.value}" for s in order)
        shown.append(f"{column.title}: {words}")
    return "Lab self-tests: " + "; ".join(shown) + "."


_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
WORD_JOINER = "\u2060"


def _md(text: str) -> str:
    """Text that renders as itself in a Markdown table cell, GitHub's renderer included.

    Results files are program output and the Markdown goes into a CI job summary, so no link,
    image, emphasis, HTML or autolink may come from them. Every ASCII punctuation mark is
    backslash-escaped (CommonMark allows it for all), &, < and > become entities, and a word
    joiner after @ stops GitHub's e-mail links and @mentions, which an escape does not stop. A
    dot between digits ("3.12") is left alone: it makes no link, and a version reads as itself.
    Line breaks and other control characters become spaces: a cell is one line.
    """
    out = []
    for i, ch in enumerate(text):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch == "@":
            out.append("\\@" + WORD_JOINER)
        elif ch == "." and text[i - 1: i].isdigit() and text[i + 1: i + 2].isdigit():
            out.append(ch)
        elif ch in string.punctuation:
            out.append("\\" + ch)
        elif not ch.isprintable():
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _md_words(words: list[tuple[str, str, Status]]) -> str:
    """A cell's words; a glyph marks a part whose outcome is not a pass."""
    shown = []
    for method, word, status in words:
        mark = "" if status in (Status.PASSED, Status.NOT_RUN) else f"{status.glyph} "
        shown.append(f"{mark}{_md(method)}: {_md(word)}" if method else f"{mark}{_md(word)}")
    return views.SEPARATOR.join(shown)


def differences_markdown(diffs: list[views.Difference]) -> list[str]:
    """The Differences view as Markdown lines: a row per behavior, a column per start method."""
    if not diffs:
        return ["No observed behavior differs across the merged runs."]
    methods = [m for m in views.METHOD_ORDER if any(m in d.by_method for d in diffs)]
    lines = ["| claim | behavior | varies by | " + " | ".join(
                 views.method_name(m) for m in methods) + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in methods) + " |"]
    for d in diffs:
        cells = [_md_wheres(d.by_method.get(m, [])) for m in methods]
        lines.append(f"| {_md(d.claim.id)} | {_md(d.spec)} | {_md(', '.join(d.varies_by))} | "
                     + " | ".join(cells) + " |")
    return lines


def _md_wheres(wheres: list[views.Where]) -> str:
    if not wheres:
        return "–"
    if len(wheres) == 1:
        return _md_words([("", wheres[0].label, wheres[0].status)])
    return "; ".join(_md_words([(w.title, w.label, w.status)]) for w in wheres)


def render_markdown(matrix: Matrix, max_bytes: int | None = None) -> str:
    """The Differences view, then one row per claim and one column per platform and Python,
    each cell saying what was observed."""
    reported = reported_columns(matrix)
    missing = [c for c in matrix.columns if c not in reported]
    head = [
        "## mplab matrix",
        "",
        f"{len(matrix.files)} results file(s) merged; columns are platform and Python, rows the "
        "page's claims (see docs/claims.md).",
        "",
        LEGEND,
        "",
    ]
    if matrix.problems:
        head += ["**Files not merged:**", ""] + [f"- {_md(p)}" for p in matrix.problems] + [""]
    if missing:
        head += ["Not run: " + ", ".join(_md(c.title) for c in missing), ""]
    stand_ins = stand_in_note(matrix)
    if stand_ins:
        head += [stand_ins, ""]
    if reported:
        head += ["Interpreters: " + "; ".join(
            f"{_md(c.title)}: {_md(', '.join(matrix.interpreters(c)))}" for c in reported), ""]
    head += ["### Differences", "", DIFFERENCES_NOTE, "",
             *differences_markdown(views.differences(matrix)), "", "### Claims", "", CELL_NOTE, ""]
    table = ["| claim | verdict | " + " | ".join(_md(c.title) for c in reported) + " |",
             "| --- | --- | " + " | ".join("---" for _ in reported) + " |"]
    notes = set()
    for claim in matrix.claims:
        cells = []
        for column in reported:
            cell = views.claim_cell(matrix, claim.id, column)
            cells.append(_md_words(cell.words()) + (" †" if cell.note else ""))
            notes.add(cell.note)
        table.append(f"| {_md(claim.id)} | {_md(claim.verdict)} | " + " | ".join(cells) + " |")
    if views.NO_LABELS_NOTE in notes:
        table += ["", f"† {_md(views.NO_LABELS_NOTE)}: the cell says only the outcome."]
    text = "\n".join([*head, *table, "", _md(self_test_line(matrix))]) + "\n"
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        note = "\n\n*(cut to fit; the HTML page has the whole matrix)*\n"
        budget = max_bytes - len(note.encode("utf-8"))
        kept = text.encode("utf-8")[:max(budget, 0)].decode("utf-8", errors="ignore")
        text = kept[: kept.rfind("\n") + 1] + note
    return text


@cache
def templates() -> Any:
    """The lab's jinja2 templates, loaded on first use: most commands render no page."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("lab", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(matrix: Matrix, bench_href: str | None = None) -> str:
    """The page; ``bench_href`` links `mplab bench`'s page when it lies beside this one."""
    diffs = views.differences(matrix)
    return templates().get_template("report.html.j2").render(
        m=matrix, Status=Status, legend=HTML_LEGEND, short=short, cell_for=_cell_for,
        self_tests=self_test_line(matrix), views=views, diffs=diffs, bench_href=bench_href,
        dmethods=[m for m in views.METHOD_ORDER if any(m in d.by_method for d in diffs)],
        unlabelled=any(r.version < 2 for row in matrix.all_rows() for cell in row.cells.values()
                       for r in cell.results),
        cell_note=CELL_NOTE, differences_note=DIFFERENCES_NOTE, stand_in_note=stand_in_note(matrix),
        abbrev={"fork": "f", "spawn": "s", "forkserver": "fs", None: "–"},
        pretty=lambda v: json.dumps(v, ensure_ascii=False, indent=1, default=repr),
    )


def _cell_for(row, column: Column) -> Cell:
    return row.cells.get(column, Cell())


class WriteError(LabError):
    """An output that cannot be written: the message names it and says why in plain words."""


_PLAIN_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "it is a folder",
    errno.ENOSPC: "no space left on the device",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EINVAL: "not a valid file name here",
}


def _not_a_folder(path: Path) -> Path | None:
    """The nearest existing parent of ``path`` when it is a file, where a folder must be."""
    for parent in path.parents:
        try:
            if parent.exists():
                return None if parent.is_dir() else parent
        except OSError:
            return None
    return None


def check_writable(path: Path) -> None:
    """Raise WriteError now for an output that cannot be a file, so that nothing is written."""
    # os.stat, not Path.is_dir: from 3.14 on, Path.is_dir answers False for a name too long.
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except FileNotFoundError:
        is_dir = False
    except OSError as exc:  # a name too long, a file where a folder must be
        raise WriteError(f"cannot write {path}: {_reason(exc, path)}") from None
    if is_dir:
        raise WriteError(f"cannot write {path}: it is a folder")
    blocker = _not_a_folder(path)
    if blocker is not None:
        raise WriteError(f"cannot write {path}: {blocker} is not a folder")


def _reason(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and _not_a_folder(path) is not None:
        return f"{_not_a_folder(path)} is not a folder"
    if exc.errno in _PLAIN_REASONS:
        return _PLAIN_REASONS[exc.errno]
    return (exc.strerror or exc.__class__.__name__).lower()


def write_text(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a failed write leaves the old file as it was."""
    check_writable(path)
    tmp = path.with_name(f".{path.name[:40]}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(text.encode("utf-8"))  # "\n" on every platform: sizes are in bytes
        os.replace(tmp, path)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise WriteError(f"cannot write {path}: {_reason(exc, path)}") from None


def write(matrix: Matrix, markdown: Path | None, html: Path | None,
          max_markdown_bytes: int | None = None, bench_href: str | None = None) -> str:
    """Write the Markdown and the HTML; both places are checked before either is written."""
    for path in (markdown, html):
        if path:
            check_writable(path)
    text = render_markdown(matrix, max_markdown_bytes)
    if markdown:
        write_text(markdown, text)
    if html:
        write_text(html, render_html(matrix, bench_href))
    return text
