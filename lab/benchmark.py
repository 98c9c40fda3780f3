"""What the runner costs: each example through the runner against a bare run of the same file.

    python -m lab.benchmark [--runs 7] [--time-scale 0.05]

Prints, per example, the median wall time of a run through ``lab.runner.run`` and of a bare
``python example.py`` (the compiled binary for C) with the same time scale, and their ratio. The
difference is the runner's work: a report folder, process-group isolation, reading the reports,
and checking that nothing was left behind.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

from rich.console import Console
from rich.table import Table

from lab import catalog, ccompiler, runner
from lab.runner import Settings


def bare(example: catalog.Example, time_scale: float) -> float:
    argv = ([str(ccompiler.compile_c(example.path))] if example.kind == "c"
            else [sys.executable, str(example.path)])
    with tempfile.TemporaryDirectory() as cwd:
        # The runner's environment, less its report folder: the same program, unobserved.
        env = runner.example_env(Settings(time_scale=time_scale), report_dir=None)
        started = time.perf_counter()
        # Pipes, as the runner uses: with no pipe to read, a wait with a timeout polls in
        # sleeps of up to 50 ms, which would be measured instead of the program.
        subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=120, check=True)
        return time.perf_counter() - started


def through_runner(example: catalog.Example, time_scale: float) -> float:
    started = time.perf_counter()
    obs = runner.run(example, Settings(time_scale=time_scale))
    elapsed = time.perf_counter() - started
    if obs.outcome != "ok":
        raise SystemExit(f"benchmark: {obs.summary()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.benchmark", description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--time-scale", type=float, default=0.05)
    args = parser.parse_args(argv)
    table = Table(title=f"runner vs bare run: median of {args.runs}, time scale "
                        f"{args.time_scale:g}, Python {sys.version.split()[0]}, "
                        f"default start method")
    for column in ("example", "runner (s)", "bare (s)", "ratio", "overhead (ms)"):
        table.add_column(column, justify="right" if column != "example" else "left")
    for example in catalog.examples().values():
        if example.kind == "c" and ccompiler.why_not_compilable():
            continue
        bare(example, args.time_scale)  # warm the caches (and compile the C program) once
        # Alternate the two, so that a change in the machine's load hits both alike.
        pairs = [(bare(example, args.time_scale), through_runner(example, args.time_scale))
                 for _ in range(args.runs)]
        b = statistics.median(p[0] for p in pairs)
        r = statistics.median(p[1] for p in pairs)
        table.add_row(example.name, f"{r:.4f}", f"{b:.4f}", f"{r / b:.2f}",
                      f"{(r - b) * 1000:.1f}")
    Console(width=120).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
