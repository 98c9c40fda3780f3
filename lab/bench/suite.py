"""How far the test suite is from its physical floor: ``python -m lab.benchmark --suite``.

The suite is run once, as developers run it (``pytest -q -n 2 -p no:cacheprovider tests``, in
the environment tox gives it: see ``suite_env``), with the environment variable
``contract.RUN_LOG`` set, so the runner logs every program run (lab/runner.py). Each distinct
run (the same program, arguments and settings) is then run once more bare: the program alone,
with the runner's environment less its report folder, timed until its first process exits, with
no runner, no pytest and no observation. The floor is the sum of those bare times divided by
the cores: no scheduler could finish the suite's programs sooner. The ratio of the suite's wall
time to it says what the rest (pytest, the runner, the specs' own work, waiting) costs; the
goal is 2× or less.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from lab import contract, proctree, runner
from lab.bench.show import load_text

SUITE_TIMEOUT = 60 * 60  # seconds for the whole suite
GOAL = 2.0  # the suite's wall time over its floor


@dataclass
class BareRun:
    key: str
    name: str
    times_run: int  # how many times the suite ran it
    seconds: float | None = None  # None: could not be run again
    why_not: str = ""


def suite_command(workers: int = 2) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-n", str(workers), "-p", "no:cacheprovider",
            "tests"]


def suite_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment tox gives the suite (tox.ini): none of this shell's ``PYTHON*`` variables
    pass, and ``PYTHONUTF8`` is set. A shell's ``PYTHONDONTWRITEBYTECODE=1`` would otherwise
    have every process of the suite compile the lab and the specs from source (a pytest
    collection of the suite: 1.9 s instead of 0.9 s), which no tox run does."""
    env = {k: v for k, v in (os.environ if environ is None else environ).items()
           if not k.startswith("PYTHON")}
    env["PYTHONUTF8"] = "1"
    return env


def distinct_runs(log: Path) -> list[tuple[dict[str, Any], int]]:
    """Each distinct program run the log holds, with how often the suite made it."""
    seen: dict[str, tuple[dict[str, Any], int]] = {}
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        run = json.loads(line)
        key = json.dumps([run["argv"], run["cwd"], run["start_method"], run["stdout"],
                          run["time_scale"]])
        first, count = seen.get(key, (run, 0))
        seen[key] = (first, count + 1)
    return list(seen.values())


def _missing_file(argv: list[str]) -> str | None:
    """A program file the run named that is gone (a spec's temporary file), if any."""
    for arg in argv:
        if (arg.endswith(".py") or arg == argv[0]) and os.path.isabs(arg) and not (
                os.path.exists(arg)):
            return arg
    return None


def run_bare(run: dict[str, Any]) -> float:
    """The program alone, timed from its start to its first process's exit; everything it
    started is killed afterwards (as the runner would), outside the timing."""
    settings = runner.Settings(start_method=run["start_method"], stdout=run["stdout"],
                               time_scale=run["time_scale"],
                               timeout=run["time_limit"])
    env = runner.example_env(settings, report_dir=None)
    with proctree.subreaper(), tempfile.TemporaryDirectory(prefix="mplab-bare-") as tmp:
        procs = proctree.RunProcesses()
        started = time.perf_counter()
        proc = subprocess.Popen(run["argv"], env=env, cwd=run["cwd"] or tmp,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, **proctree.isolation_kwargs())
        procs.started(proc.pid)
        timer = threading.Timer(run["time_limit"], proc.kill)  # bounded as the runner is
        timer.start()
        try:
            proc.wait()
        finally:
            elapsed = time.perf_counter() - started
            timer.cancel()
            procs.kill(proc)
    return elapsed


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def run_suite(root: Path, out: Path, console: Console | None = None,
              command: list[str] | None = None) -> int:
    """Time the suite, then its distinct program runs bare; print and save the comparison."""
    console = console or Console()
    out.mkdir(parents=True, exist_ok=True)
    log = out / "suite-runs.jsonl"
    log.unlink(missing_ok=True)
    env = suite_env()
    dropped = sorted(set(os.environ) - set(env))
    env[contract.RUN_LOG] = str(log)
    env.pop(contract.RESULTS_DIR, None)  # no results file into a folder CI or tox named
    command = command or suite_command()
    console.print(f"suite: {' '.join(command)} (in {root}); environment as tox gives it"
                  + (f", without this shell's {', '.join(dropped)}" if dropped else ""),
                  highlight=False, markup=False)
    load_before = _load()
    started = time.perf_counter()
    with proctree.subreaper(), (out / "suite-pytest.log").open("w", encoding="utf-8") as plog:
        procs = proctree.RunProcesses()
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=plog,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                **proctree.isolation_kwargs())
        procs.started(proc.pid)
        try:
            code = proc.wait(timeout=SUITE_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
            console.print(f"suite: ran past {SUITE_TIMEOUT} s and was stopped", style="red")
        finally:
            wall = time.perf_counter() - started
            procs.kill(proc)  # pytest's workers and anything they left, as the runner does
    load_after = _load()
    bare: list[BareRun] = []
    runs = distinct_runs(log)
    console.print(f"suite: {wall:.0f} s, exit code {code}; now {len(runs)} distinct "
                  "program run(s) bare, one after another", highlight=False)
    for run, count in runs:
        item = BareRun(json.dumps(run["argv"]), run["name"], count)
        missing = _missing_file(run["argv"])
        if missing:
            item.why_not = f"{missing} is gone (a spec's temporary file)"
        else:
            item.seconds = run_bare(run)
        bare.append(item)
    cores = os.cpu_count() or 1
    total = sum(b.seconds for b in bare if b.seconds is not None)
    floor = total / cores
    result = {
        "command": command, "dropped_env": dropped, "exit_code": code, "wall": round(wall, 2),
        "cores": cores, "load_before": load_before, "load_after": load_after,
        "program_runs": sum(c for _, c in runs), "distinct_runs": len(runs),
        "rerun": sum(b.seconds is not None for b in bare), "bare_total": round(total, 2),
        "floor": round(floor, 2), "ratio": round(wall / floor, 2) if floor else None,
        "goal": GOAL,
        "not_rerun": [f"{b.name}: {b.why_not}" for b in bare if b.seconds is None],
        "slowest": [{"name": b.name, "seconds": round(b.seconds, 3), "times_run": b.times_run}
                    for b in sorted((b for b in bare if b.seconds is not None),
                                    key=lambda b: -(b.seconds or 0))[:10]],
    }
    (out / "suite.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    show_suite(result, console)
    return 0 if code == 0 else 1


def show_suite(result: dict[str, Any], console: Console) -> None:
    table = Table(title="The test suite against its floor", title_justify="left")
    table.add_column("")
    table.add_column("", justify="right")
    load = {"load_before": result["load_before"], "load_after": result["load_after"]}
    rows = [
        ("suite wall time", f"{result['wall']:.1f} s ({load_text(load)})"),
        ("program runs (distinct)", f"{result['program_runs']} ({result['distinct_runs']})"),
        ("distinct runs re-run bare", str(result["rerun"])),
        ("their bare times, summed", f"{result['bare_total']:.1f} s"),
        (f"floor: sum / {result['cores']} core(s)", f"{result['floor']:.1f} s"),
        ("suite / floor", f"{result['ratio']}× (goal ≤ {result['goal']:g}×)"
         if result["ratio"] else "n/a"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    if result["not_rerun"]:
        console.print(f"{len(result['not_rerun'])} distinct run(s) not re-run (their program "
                      "files were temporary); the floor leaves them out, so it is low",
                      highlight=False, soft_wrap=True)
