"""The merge step of the CI matrix: every cell's results in one Markdown table and one HTML page.

It runs ``mplab report`` on the folder the cells' artifacts were downloaded into. The Markdown
goes into the job summary ($GITHUB_STEP_SUMMARY) when there is one, else to stdout; GitHub shows
at most 1 MiB of a step's summary, so the table is cut to fit, with a note, and the HTML page
(uploaded as an artifact) keeps the whole matrix with every spec's evidence.

Exit code: ``mplab report``'s: 0 when at least one results file merged, 2 when none did.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's job summary
SUMMARY_MARGIN = 8 * 1024  # room for the note below and what else the step wrote
MIN_BUDGET = 1024  # the least `mplab report --max-markdown-bytes` takes
HTML_ARTIFACT = "mplab-matrix-html"  # the workflow's name for the page's artifact


def summary_budget(summary: Path | None, limit: int = SUMMARY_LIMIT) -> int:
    """Bytes the Markdown may take in the step's summary, after what is already there."""
    used = summary.stat().st_size if summary and summary.is_file() else 0
    return max(limit - used - SUMMARY_MARGIN, MIN_BUDGET)


def footer(html: Path) -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        where = f"the artifact **{HTML_ARTIFACT}** of this run (the run's Summary page)"
    else:
        where = f"`{html}`"
    return (f"\nEvery spec's observed and expected values and evidence, per cell: the HTML page "
            f"in {where}. How to read it: docs/ci.md.\n")


def report_command(paths: list[str], markdown: Path, html: Path, budget: int) -> list[str]:
    """``mplab report`` run by this Python, which has the lab installed."""
    return [sys.executable, "-m", "lab", "report", "--markdown", str(markdown), "--html",
            str(html), "--max-markdown-bytes", str(budget), *paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="the downloaded artifacts: folders or results files")
    parser.add_argument("--html", type=Path, default=Path("mplab-matrix.html"),
                        help="where the HTML page goes (default: %(default)s)")
    parser.add_argument("--markdown", type=Path, default=Path("mplab-matrix.md"),
                        help="where the Markdown goes besides the summary (default: %(default)s)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")

    summary = Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get(
        "GITHUB_STEP_SUMMARY") else None
    note = footer(args.html)
    budget = max(summary_budget(summary) - len(note.encode("utf-8")), MIN_BUDGET)
    # The Markdown is read only after `mplab report` exits 0, which it does only once it has
    # written it: nothing is deleted beforehand, since --markdown might name an input.
    code = subprocess.run(report_command(args.paths, args.markdown, args.html, budget)).returncode
    if code == 0 and args.markdown.is_file():
        text = args.markdown.read_text(encoding="utf-8") + note  # cut to the budget
    else:
        text = ("## mplab matrix\n\nNo results file could be merged (`mplab report` exited with "
                f"{code}): no cell wrote results. See the cells' logs.\n")
        code = code or 2
    if summary:
        with summary.open("a", encoding="utf-8") as f:
            f.write(text)
        print(f"merge: {len(text.encode('utf-8'))} bytes of Markdown added to the job summary")
    else:
        sys.stdout.write(text)
    return code


if __name__ == "__main__":
    sys.exit(main())
