"""One ``mplab bench`` run: each Python's driver in turn, then the summary, table and page."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from lab import report
from lab.bench import measures, page, show, summary
from lab.bench.targets import Target, plan, prepare, run_driver
from lab.errors import LabError

SUMMARY = "bench.json"


def run_bench(targets: list[Target], out: Path, mode: measures.Mode,
              chosen: list[measures.Measure],
              chroot_runner: Path, chroot_cwd: Path | None = None,
              console: Console | None = None, time_scale: float = 0.05) -> int:
    """Measure every target into ``out``; 0 when every Python gave every figure it could."""
    console = console or Console()
    for name in (SUMMARY, page.PAGE):
        report.check_writable(out / name)
    for target in targets:
        target.jobs = plan(target, chosen, mode, time_scale)
    pythons, results = [], []
    for target in targets:
        folder = summary.raw_folder(out, target)
        started = time.monotonic()
        found: dict | None = None
        what = target.interp.path if target.interp else f"python{target.chroot_version} (chroot)"
        console.print(f"bench: {target.label}: {len(target.jobs)} job(s) with {escape(what)}",
                      highlight=False)
        if not target.jobs:
            target.problem = "nothing to measure here (the runner's overhead is measured " \
                             "under mplab's own Python only)"
        else:
            try:
                prepare(target, folder, say=console.print)
            except LabError as exc:
                target.problem = f"could not make its environment: {exc}"
            else:
                with (folder / "driver.log").open("w", encoding="utf-8") as log:
                    found = run_driver(target, folder, chroot_runner,
                                       chroot_cwd or folder, log,
                                       say=lambda line: console.print(
                                           line, highlight=False, markup=False))
        entry = summary.python_entry(target, found, time.monotonic() - started)
        pythons.append(entry)
        results += summary.read_results(target, folder, out, found)
        console.print(f"bench: {target.label}: {entry['seconds']:.0f} s"
                      + (f", {len(entry['problems'])} problem(s)" if entry["problems"] else ""),
                      highlight=False)
    data = summary.check(summary.build_summary(mode, chosen, pythons, results))
    report.write_text(out / SUMMARY, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    report.write_text(out / page.PAGE, page.render(data))
    show.show(data, console)
    console.print(f"summary, page and pyperf's raw files are in [bold]{escape(str(out))}[/bold] "
                  f"(open {escape(str(out / page.PAGE))})", soft_wrap=True)
    ok = results and all(not py["problems"] for py in pythons)
    return 0 if ok else 1


def render_saved(path: Path, out_html: Path | None, console: Console | None = None) -> int:
    """Show a summary written earlier, and draw its page again (after a template change, say)."""
    console = console or Console()
    data = summary.load(path)
    html = out_html or path.with_name(page.PAGE)
    report.write_text(html, page.render(data))
    show.show(data, console)
    console.print(f"page: {escape(str(html))}", highlight=False, soft_wrap=True)
    return 0
