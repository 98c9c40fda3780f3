"""pyperf's raw files and the drivers' reports, turned into one summary (``bench.json``).

The summary is what the table and the page are drawn from, and what another program reads: its
shape is lab/data/bench.schema.json, checked when it is written and when it is read back.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from lab import platforms, schemas
from lab.bench import measures
from lab.bench.targets import RAW, Target
from lab.datafiles import DATA_DIR
from lab.errors import LabError

SCHEMA_PATH = DATA_DIR / "bench.schema.json"
FORMAT = "mplab-bench"
VERSION = 1


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def cpu_model() -> str:
    """The CPU's name as the kernel gives it (platform.processor() is empty on Linux)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count() or 1, "cpu_model": cpu_model(),
            "system": f"{platform.system()} {platform.release()}",
            "platform": platforms.this_platform().name}


def python_entry(target: Target, report: dict | None, seconds: float) -> dict[str, Any]:
    """What the summary says of one Python: who built it, where, and the load around its run."""
    py = (report or {}).get("python", {})
    version = py.get("version") or (target.interp.version if target.interp
                                    else target.chroot_version or "?")
    if target.chroot_version:
        build = f"{(py.get('distribution') or '').split(' ')[0]} chroot".strip()
    elif py.get("base_prefix"):
        build = platforms.build(py["base_prefix"], py.get("sys_version", ""))
    else:
        build = "unknown"
    problems = [target.problem] if target.problem else []
    for job in (report or {}).get("jobs", []):
        if job.get("error"):
            problems.append(f"{job['name']}: {job['error']}")
    return {
        "label": target.label, "version": version, "build": build,
        "implementation": py.get("implementation", "CPython"),
        "executable": py.get("executable") or (target.interp.path if target.interp else
                                                f"python{target.chroot_version}"),
        "where": "chroot" if target.chroot_version else "local",
        "default_method": py.get("default_method"), "methods": py.get("methods", []),
        "load_before": (report or {}).get("load_before"),
        "load_after": (report or {}).get("load_after"),
        "seconds": round(seconds, 1), "problems": problems,
    }


def read_results(target: Target, folder: Path, out: Path, report: dict | None
                 ) -> list[dict[str, Any]]:
    """One entry per measure, start method and case, from the pyperf files the driver left."""
    import pyperf

    found: list[dict[str, Any]] = []
    for job in (report or {}).get("jobs", []):
        path = folder / job["file"]
        if job.get("skipped") or job.get("error") or not path.is_file():
            continue
        for bench in pyperf.BenchmarkSuite.load(str(path)).get_benchmarks():
            measure, _, case = bench.get_name().partition(":")
            if measure not in measures.BY_ID:
                continue
            n = bench.get_nvalue()
            found.append({
                "python": target.label, "measure": measure, "method": job.get("method"),
                "case": case or None, "unit": bench.get_unit(), "mean": bench.mean(),
                "std": bench.stdev() if n >= 2 else None, "n": n, "ratio_to_fork": None,
                "raw": path.relative_to(out).as_posix(),
            })
    return found


def add_ratios(results: list[dict[str, Any]]) -> None:
    """Each result's mean over fork's for the same Python, measure and case."""
    fork = {(r["python"], r["measure"], r["case"]): r["mean"] for r in results
            if r["method"] == "fork"}
    for r in results:
        base = fork.get((r["python"], r["measure"], r["case"]))
        r["ratio_to_fork"] = (r["mean"] / base) if base and r["method"] else None


def build_summary(mode: measures.Mode, chosen: list[measures.Measure],
                  pythons: list[dict[str, Any]], results: list[dict[str, Any]]
                  ) -> dict[str, Any]:
    add_ratios(results)
    return {
        "format": FORMAT, "version": VERSION,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": mode.name, "mode_note": mode.what, "machine": machine(),
        "measures": [{"id": m.id, "title": m.title, "unit": m.unit, "group": m.group,
                      "what": m.what} for m in chosen],
        "pythons": pythons, "results": results,
    }


def check(summary: Any, where: str = "the summary") -> dict[str, Any]:
    """``summary`` if it has the schema's shape, else a LabError naming the first mistake."""
    try:
        schemas.validate(summary, schema())
    except schemas.Invalid as exc:
        raise LabError(f"{where} is not an mplab bench summary: {exc}") from None
    return summary


def load(path: Path) -> dict[str, Any]:
    """A summary written earlier, checked: a bad file is one line that says what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabError(f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError:
        raise LabError(f"{path} is not UTF-8 text (give a bench.json)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LabError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    return check(data, str(path))


def raw_folder(out: Path, target: Target) -> Path:
    return out / RAW / target.label
