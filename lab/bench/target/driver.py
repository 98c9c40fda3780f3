"""Runs one Python's share of ``mplab bench``: the plan's worker scripts, one after another.

    python driver.py PLAN.json

Runs under the Python being measured, which may be in a chroot and lacks the lab: standard
library only. The plan (written by lab/bench/targets.py) lists jobs, each a worker script, its
arguments, the start method it needs and a timeout. The driver skips a job whose start method
this platform lacks, bounds each by its timeout (killing its whole process group), records the
machine's load before and after, and writes what it did to ``driver.json`` beside the plan.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import signal
import subprocess
import sys
import time


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # Windows
        return None


def _distribution() -> str | None:
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"') or None
    except OSError:
        pass
    return None


def describe() -> dict:
    return {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "base_prefix": sys.base_prefix,
        "sys_version": sys.version,
        "distribution": _distribution(),
        "methods": multiprocessing.get_all_start_methods(),
        "default_method": multiprocessing.get_start_method(),
    }


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    proc.wait()


def run_job(job: dict, folder: str, methods: list[str]) -> dict:
    done = {"name": job["name"], "file": job["file"], "method": job.get("method"),
            "exit_code": None, "seconds": 0.0, "skipped": None, "error": None}
    if job.get("method") and job["method"] not in methods:
        done["skipped"] = f"start method {job['method']} is not available here"
        return done
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), job["script"])
    cmd = [sys.executable, script, *job["args"], "-o", os.path.join(folder, job["file"])]
    log_path = os.path.join(folder, job["name"] + ".log")
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=folder)
        try:
            done["exit_code"] = proc.wait(timeout=job["timeout"])
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            done["error"] = f"ran past its timeout of {job['timeout']:g} s and was killed"
        except BaseException:
            _kill_group(proc)
            raise
    done["seconds"] = round(time.monotonic() - started, 3)
    if done["exit_code"] not in (0, None):
        with open(log_path, encoding="utf-8", errors="replace") as log:
            lines = [line.strip() for line in log if line.strip()]
        done["error"] = (f"exited with code {done['exit_code']}: "
                         + (lines[-1] if lines else "(no output)"))
    return done


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: driver.py PLAN.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        plan = json.load(f)
    folder = os.path.dirname(os.path.abspath(argv[0]))
    python = describe()
    report = {"python": python, "load_before": _load(), "jobs": []}
    started = time.monotonic()
    for job in plan["jobs"]:
        report["jobs"].append(run_job(job, folder, python["methods"]))
        print(f"  {job['name']}: "
              f"{report['jobs'][-1]['error'] or report['jobs'][-1]['skipped'] or 'done'}",
              flush=True)
    report["load_after"] = _load()
    report["seconds"] = round(time.monotonic() - started, 3)
    with open(os.path.join(folder, "driver.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
