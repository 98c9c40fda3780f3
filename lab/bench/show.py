"""A bench summary in the terminal: a table per measure, each figure with its ratio to fork."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

METHODS = ("fork", "spawn", "forkserver")
CAVEAT = ("Absolute figures vary from machine to machine and with the load; only ratios measured "
          "in one run compare.")


def _scale(value: float, unit: str) -> tuple[float, str]:
    """The factor and name that suit ``value``: 812 µs, 61.3 ms, 7.9 MiB."""
    if unit == "byte":
        for name, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
            if abs(value) >= size:
                return size, name
        return 1, "B"
    for name, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if abs(value) >= scale:
            return scale, name
    return 1e-9, "ns"


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _two_digits(value: float) -> str:
    """A spread needs no more than two significant digits, and never an exponent."""
    return f"{value:.0f}" if value >= 10 else f"{value:.2g}"


def quantity(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    factor, name = _scale(value, unit)
    return f"{_number(value / factor)} {name}"


def ratio(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2g}×" if value < 10 else f"{value:.0f}×"


def cell(result: dict[str, Any] | None, with_ratio: bool = False) -> str:
    """"201 ± 2.3 ms": the mean and its standard deviation in the mean's unit."""
    if result is None:
        return "–"
    factor, name = _scale(result["mean"], result["unit"])
    text = _number(result["mean"] / factor)
    if result["std"] is not None:
        text += f" ± {_two_digits(result['std'] / factor)}"
    text += f" {name}"
    if with_ratio and result["method"] != "fork" and result["ratio_to_fork"] is not None:
        text += f" ({ratio(result['ratio_to_fork'])} fork)"
    return text


def python_title(py: dict[str, Any]) -> str:
    return f"{py['version']} {py['build']}"


def load_text(py: dict[str, Any]) -> str:
    before, after = py.get("load_before"), py.get("load_after")
    if not before or not after:
        return "load n/a"
    return f"load {before[0]:.2f}→{after[0]:.2f}"


def index(summary: dict[str, Any]) -> dict[tuple, dict[str, Any]]:
    return {(r["python"], r["measure"], r["method"], r["case"]): r for r in summary["results"]}


def show(summary: dict[str, Any], console: Console | None = None) -> None:
    """One table per start-method measure (rows: Pythons), one for the runner's overhead."""
    console = console or Console()
    found = index(summary)
    pythons = summary["pythons"]
    m = summary["machine"]
    console.print(f"mplab bench ({summary['mode']}): {m['cpu_model']}, {m['cores']} core(s), "
                  f"{m['system']}", highlight=False, markup=False, soft_wrap=True)
    loads = Table(title="Pythons measured, and this machine's load (1 min) around each run",
                  title_justify="left")
    for column in ("Python", "build", "load before", "load after", "took"):
        loads.add_column(column, justify="left" if column in ("Python", "build") else "right")
    for py in pythons:
        before, after = py.get("load_before"), py.get("load_after")
        loads.add_row(py["version"], py["build"], f"{before[0]:.2f}" if before else "n/a",
                      f"{after[0]:.2f}" if after else "n/a", f"{py['seconds']:.0f} s")
    console.print(loads)
    for measure in summary["measures"]:
        if measure["group"] != "start":
            continue
        table = Table(title=f"{measure['title']}: mean ± std dev, and × fork",
                      title_justify="left")
        table.add_column("Python", no_wrap=True)
        for method in METHODS:
            table.add_column(method, justify="right", overflow="fold")
            if method != "fork":
                table.add_column("×fork", justify="right", no_wrap=True)
        for py in pythons:
            row = [python_title(py)]
            for method in METHODS:
                r = found.get((py["label"], measure["id"], method, None))
                row.append(cell(r))
                if method != "fork":
                    row.append(ratio(r["ratio_to_fork"]) if r else "–")
            table.add_row(*row)
        console.print(table)
    _show_runner(summary, found, console)
    for py in pythons:
        for problem in py["problems"]:
            console.print(f"mplab bench: Python {py['version']}: {problem}", style="red",
                          highlight=False, markup=False, soft_wrap=True)
    console.print(CAVEAT, highlight=False, markup=False, soft_wrap=True)


def _show_runner(summary: dict[str, Any], found: dict[tuple, dict[str, Any]],
                 console: Console) -> None:
    """The runner's overhead, per example: bare, through the runner, ratio and difference."""
    rows = [r for r in summary["results"] if r["measure"] == "example_bare"]
    if not rows:
        return
    table = Table(title="The lab's runner against a bare run (default start method)",
                  title_justify="left")
    for column in ("Python", "example", "bare", "runner", "ratio", "overhead"):
        table.add_column(column, no_wrap=column == "example",
                         justify="left" if column in ("Python", "example") else "right")
    titles = {py["label"]: python_title(py) for py in summary["pythons"]}
    for bare in rows:
        through = found.get((bare["python"], "example_runner", None, bare["case"]))
        if through is None:
            continue
        table.add_row(titles.get(bare["python"], bare["python"]), bare["case"] or "",
                      cell(bare), cell(through), f"{through['mean'] / bare['mean']:.2f}",
                      quantity(through["mean"] - bare["mean"], "second"))
    console.print(table)
