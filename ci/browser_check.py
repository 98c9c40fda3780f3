"""Open the merged HTML report in headless Chromium and check that the matrix is there.

    python ci/browser_check.py REPORT.html [--screenshot PNG] [--expect-column "Linux 3.12" ...]
        [--expect-difference "C12:start method" ...]

Chromium renders the page as a person's browser would; the check reads back the DOM Chromium
built (not the file we wrote) and fails unless the Differences view holds each expected row, the
claims table is there with a row for every claim, every expected column has results, no cell is
broken and none says only "pass" where it could say what was observed. It also saves a
screenshot. Exit code 0 when the check passes, 1 when it fails, 2 when Chromium is missing.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser
from pathlib import Path

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]


class RenderedTable(HTMLParser):
    """The cells of ``<table id=...>`` as rows of (text, class) pairs."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.rows: list[list[tuple[str, str]]] = []
        self._in_table = False
        self._cell: list[str] | None = None
        self._class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.table_id) in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []
            self._class = dict(attrs).get("class") or ""
        elif self._cell is not None and tag in ("br", "div"):
            self._cell.append(" ")  # a header's title, then its interpreters; a cell's parts

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_table:
            self._in_table = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._class))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_table(dom: str, table_id: str) -> list[list[tuple[str, str]]]:
    table = RenderedTable(table_id)
    table.feed(dom)
    return table.rows


BROKEN = ("failed", "error", "timeout", "conflict")  # lab.status css classes


def check_summary(rows: list[list[tuple[str, str]]], columns: list[str]) -> list[str]:
    """The claims table: claim rows, results in each expected column, words in every cell."""
    if not rows:
        return ["no summary table in the rendered page"]
    problems = []
    header, body = [text for text, _ in rows[0]], rows[1:]
    if not any(row and row[0][0].startswith("C") for row in body):
        problems.append("the summary table has no claim rows")
    for title in columns:
        # A header is the column's title, then the interpreters it came from.
        found = [i for i, h in enumerate(header) if h == title or h.startswith(title + " ")]
        if not found:
            problems.append(f"no column {title!r}")
            continue
        cells = [row[found[0]] for row in body if len(row) > found[0]]
        if not any("passed" in css.split() for _, css in cells):
            problems.append(f"column {title!r} holds no passing claim")
    broken = [f"{row[0][0]} / {header[i]}" for row in body for i, (_, css) in enumerate(row)
              if set(css.split()) & set(BROKEN)]
    if broken:
        problems.append("cells that did not pass: " + ", ".join(broken[:10]))
    # A cell that says only "pass" hides what was observed; only a version 1 file (marked †)
    # has no words to give.
    bare = [f"{row[0][0]} / {header[i]}" for row in body for i, (text, css) in enumerate(row)
            if i >= 2 and text == "pass"]
    if bare:
        problems.append("cells that say only 'pass': " + ", ".join(bare[:10]))
    return problems


def check_cells(rows: list[list[tuple[str, str]]], expected: list[list[str]]) -> list[str]:
    """Claims' cells that must say what was observed: (claim, column title, words)."""
    if not rows:
        return []
    problems = []
    header, body = [text for text, _ in rows[0]], rows[1:]
    for claim, title, words in expected:
        columns = [i for i, h in enumerate(header) if h == title or h.startswith(title + " ")]
        found = [row for row in body if row and row[0][0].split()[0] == claim]
        if not columns or not found:
            problems.append(f"no cell of {claim} in column {title!r}")
        elif words not in found[0][columns[0]][0]:
            problems.append(f"{claim}'s cell in {title!r} says {found[0][columns[0]][0]!r}, "
                            f"not {words!r}")
    return problems


def check_differences(rows: list[list[tuple[str, str]]], expected: list[str]) -> list[str]:
    """The Differences view: a row for each CLAIM:WHAT expected, varying by that, whose start
    methods' cells do not all read the same when it varies by start method."""
    if not rows:
        return ["no Differences table in the rendered page"]
    problems = []
    body = [[text for text, _ in row] for row in rows[1:]]
    for item in expected:
        claim, _, what = item.partition(":")
        found = [row for row in body if row[0] == claim and what in row[2].split(", ")]
        if not found:
            problems.append(f"the Differences view has no row of {claim} varying by {what}")
        elif what == "start method" and not any(len(set(row[3:])) > 1 for row in found):
            problems.append(f"{claim}'s start methods read the same in the Differences view")
    return problems


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def png_is_drawn(path: Path) -> bool:
    """True unless the screenshot is one flat colour (a blank page)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return len(set(raw[::97])) > 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--expect-column", action="append", default=[],
                        help="a column title that must hold results, e.g. 'Linux 3.12'")
    parser.add_argument("--expect-difference", action="append", default=[], metavar="CLAIM:WHAT",
                        help="a row the Differences view must hold, e.g. 'C12:start method' "
                             "(WHAT: start method, Python or platform)")
    parser.add_argument("--expect-cell", action="append", default=[], nargs=3,
                        metavar=("CLAIM", "COLUMN", "WORDS"),
                        help="a claim's cell that must hold these words, e.g. C12 "
                             "'Windows 3.13 (Wine 8.0)' 're-drawn'")
    args = parser.parse_args(argv)
    browser = chromium()
    if browser is None:
        print("browser check: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    url = args.report.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        base = [browser, *FLAGS, f"--user-data-dir={profile}"]
        dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True,
                             encoding="utf-8", timeout=180)
        if args.screenshot:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([*base, "--window-size=1400,1100",
                            f"--screenshot={args.screenshot.resolve()}", url],
                           capture_output=True, timeout=180)
    summary = read_table(dom.stdout, "summary")
    problems = check_summary(summary, args.expect_column)
    problems += check_cells(summary, args.expect_cell)
    differences = read_table(dom.stdout, "differences")
    problems += check_differences(differences, args.expect_difference)
    if args.screenshot and not (args.screenshot.exists() and png_is_drawn(args.screenshot)):
        problems.append(f"the screenshot {args.screenshot} is missing or blank")
    for problem in problems:
        print(f"browser check: {problem}", file=sys.stderr)
    if not problems:
        print(f"browser check: the matrix renders with {len(differences) - 1} differences, "
              f"{len(summary) - 1} claim rows and {len(summary[0]) - 2} columns" +
              (f"; screenshot {args.screenshot}" if args.screenshot else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
