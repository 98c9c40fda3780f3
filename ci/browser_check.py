"""Open the merged HTML report in headless Chromium and check that the matrix is there.

    python ci/browser_check.py REPORT.html [--screenshot PNG] [--expect-column "Linux 3.12" ...]

Chromium renders the page as a person's browser would; the check reads back the DOM Chromium
built (not the file we wrote) and fails unless the summary table is there with a row for every
claim, every expected column has results, and the page shows no broken cells. It also saves a
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


class SummaryTable(HTMLParser):
    """The cells of <table id="summary"> as rows of text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "summary") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None and tag == "br":
            self._cell.append(" ")  # a header's title, then its interpreters

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_table:
            self._in_table = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


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
    table = SummaryTable()
    table.feed(dom.stdout)
    problems = []
    if not table.rows:
        problems.append("no summary table in the rendered page")
    else:
        header, body = table.rows[0], table.rows[1:]
        claims = [row[0] for row in body if row]
        if not any(c.startswith("C") for c in claims):
            problems.append("the summary table has no claim rows")
        for title in args.expect_column:
            # A header is the column's title, then the interpreters it came from.
            found = [i for i, h in enumerate(header) if h == title or h.startswith(title + " ")]
            if not found:
                problems.append(f"no column {title!r}")
                continue
            i = found[0]
            cells = [row[i] for row in body if len(row) > i]
            if not any(c == "pass" for c in cells):
                problems.append(f"column {title!r} holds no passing claim")
        broken = [f"{row[0]} / {header[i]}" for row in body for i, c in enumerate(row)
                  if c in ("FAIL", "ERROR", "TIMEOUT", "DIFFER")]
        if broken:
            problems.append("cells that did not pass: " + ", ".join(broken[:10]))
    if args.screenshot and not (args.screenshot.exists() and png_is_drawn(args.screenshot)):
        problems.append(f"the screenshot {args.screenshot} is missing or blank")
    for problem in problems:
        print(f"browser check: {problem}", file=sys.stderr)
    if not problems:
        print(f"browser check: the matrix renders with {len(table.rows) - 1} claim rows "
              f"and {len(table.rows[0]) - 2} columns" +
              (f"; screenshot {args.screenshot}" if args.screenshot else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
