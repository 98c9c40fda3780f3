"""A bench summary as one self-contained HTML page: a chart per measure, drawn by matplotlib as
inline SVG (no network, no script), and the figures beside each chart.

Every chart names the machine, each Python's build and the load around its run, so that a chart
cut out of the page still says where it was measured.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from lab.bench.show import CAVEAT, METHODS, cell, index, load_text, quantity, ratio
from lab.report import templates

PAGE = "bench.html"  # its name in an output folder, where the matrix's report looks for it
COLOURS = {"fork": "#0969da", "spawn": "#bf3989", "forkserver": "#1a7f37",
           "example_bare": "#8c959f", "example_runner": "#bc4c00"}
LOG_SCALE_SPREAD = 30  # a chart whose bars differ more than this many times gets a log axis

def _scale(unit: str, values: list[float]) -> tuple[float, str]:
    top = max(values, default=1.0)
    if unit == "byte":
        return (1 << 20, "MiB") if top >= 1 << 20 else (1 << 10, "KiB")
    for name, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if top >= scale:
            return scale, name
    return 1e-9, "ns"


def chart(summary: dict[str, Any], title: str, unit: str, groups: list[str],
          group_labels: list[str], series: list[str], result_for, salt: str) -> Markup:
    """Grouped bars with mean ± std dev error bars, as an <svg> element to put in the page."""
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["svg.fonttype"] = "none"  # text stays text: smaller, and found by a search
    rcParams["svg.hashsalt"] = salt  # ids unique to this chart among the page's others
    found = {(g, s): result_for(g, s) for g in groups for s in series}
    means = [r["mean"] for r in found.values() if r]
    factor, shown_unit = _scale(unit, means)
    fig = Figure(figsize=(max(7.0, 1.5 + 1.1 * len(groups)), 4.6), layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    for i, s in enumerate(series):
        xs, ys, errs = [], [], []
        for j, g in enumerate(groups):
            r = found[(g, s)]
            if r:
                xs.append(j + (i - (len(series) - 1) / 2) * width)
                ys.append(r["mean"] / factor)
                errs.append((r["std"] or 0.0) / factor)
        ax.bar(xs, ys, width * 0.92, yerr=errs, capsize=3, color=COLOURS.get(s, "#57606a"),
               label=s.replace("example_", ""), error_kw={"elinewidth": 1})
    if means and max(means) / max(min(means), 1e-12) > LOG_SCALE_SPREAD:
        ax.set_yscale("log")
        shown_unit += ", log scale"
    ax.set_xticks(range(len(groups)), group_labels, fontsize=8)
    ax.set_ylabel(shown_unit)
    ax.set_title(title, fontsize=11, loc="left")
    ax.legend(fontsize=8, ncols=len(series), loc="lower right", bbox_to_anchor=(1.0, 1.0),
              frameon=False, borderaxespad=0.2)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    m = summary["machine"]
    fig.supxlabel(f"{m['cpu_model']}, {m['cores']} core(s), {m['system']}\n"
                  f"{summary['mode']} mode, {summary['created']}; bars: mean, error bars: "
                  "± std dev; below each Python its build and the load (1 min) before → after",
                  fontsize=7, color="#57606a", x=0.01, ha="left")
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML declaration or DOCTYPE inside HTML
    # matplotlib numbers its ids per figure (figure_1, patch_1...): prefix them, and every
    # reference to them, so that the page's charts share none.
    svg = re.sub(r'(\bid="|url\(#|href="#)([^")]+)', lambda m: f"{m[1]}{salt}-{m[2]}", svg)
    return Markup(svg)


def _python_label(py: dict[str, Any]) -> str:
    return f"{py['version']}\n{py['build']}\n{load_text(py)}"


def charts(summary: dict[str, Any]) -> dict[str, Markup]:
    """A chart per start-method measure, and one of the runner's overhead: by measure id."""
    found = index(summary)
    pythons = summary["pythons"]
    drawn: dict[str, Markup] = {}
    for measure in summary["measures"]:
        if measure["group"] != "start":
            continue
        labels = [py["label"] for py in pythons]
        drawn[measure["id"]] = chart(
            summary, measure["title"], measure["unit"], labels,
            [_python_label(py) for py in pythons], list(METHODS),
            lambda g, s, mid=measure["id"]: found.get((g, mid, s, None)), salt=measure["id"])
    bare = [r for r in summary["results"] if r["measure"] == "example_bare"]
    if bare:
        titles = {py["label"]: f"{py['version']} {py['build']}" for py in pythons}
        cases = [(r["python"], r["case"]) for r in bare]
        drawn["runner"] = chart(
            summary, "The lab's runner against a bare run, per example", "second",
            [f"{p}|{c}" for p, c in cases],
            [f"{c}\n{titles.get(p, p)}" for p, c in cases], ["example_bare", "example_runner"],
            lambda g, s: found.get((g.split("|")[0], s, None, g.split("|")[1])), salt="runner")
    return drawn


def render(summary: dict[str, Any]) -> str:
    return templates().get_template("bench.html.j2").render(
        s=summary, charts=charts(summary), methods=METHODS, found=index(summary), cell=cell,
        quantity=quantity, ratio=ratio, caveat=CAVEAT, load_text=load_text,
    )


def has_remote_reference(html: str) -> bool:
    """Whether the page would load anything (src, href to a stylesheet, url()) from a network."""
    return bool(re.search(r"""(?:src|xlink:href|@import|url)\s*[=(]\s*["']?\s*(?:https?:)?//""",
                          html, re.IGNORECASE))


def bench_link(report_html: Path) -> str | None:
    """The bench page's address relative to a report page in the same folder, if it is there."""
    return PAGE if (report_html.parent / PAGE).is_file() else None
