"""The Pythons ``mplab bench`` measures, their environments, and one driver run for each.

A Python of this system is found as ``mplab matrix`` finds it (lab/interpreters.py) and gets a
cached virtual environment with pyperf and psutil only (lab/venvs.py); mplab's own Python has
both already. A chroot's Python (Debian sid's, through ``sid-python run``, as ci/rehearse.py
runs its cells) gets such an environment inside the chroot. Either way the worker scripts are
copied into the output folder, which the chroot sees when it lies inside the checkout.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lab import venvs
from lab.bench import measures
from lab.errors import LabError
from lab.interpreters import Interpreter

TARGET_PACKAGES = ["pyperf>=2.6", "psutil>=5.9"]  # what a measured Python needs
SCRIPTS = Path(__file__).resolve().parent / "target"
RAW = "bench-raw"  # the output folder's sub-folder for pyperf's files, plans and logs
ENV_TIMEOUT = 900.0  # seconds to make a chroot's environment (pip included)


@dataclass
class Target:
    """One Python to measure: a local interpreter, or ``pythonX.Y`` inside a chroot."""

    label: str  # a folder name, unique in one run: py3.12.8, py3.14-chroot
    interp: Interpreter | None = None
    chroot_version: str | None = None
    python: str | None = None  # the interpreter that runs the driver, once known
    problem: str | None = None
    jobs: list[dict] = field(default_factory=list)

    @property
    def is_lab_python(self) -> bool:
        return self.interp is not None and (
            os.path.realpath(self.interp.path) == os.path.realpath(sys.executable))


def local_targets(pythons: list[Interpreter]) -> list[Target]:
    return _unique([Target(f"py{i.version}", interp=i) for i in pythons])


def chroot_targets(versions: list[str]) -> list[Target]:
    for v in versions:
        if not re.fullmatch(r"3\.\d+", v):
            raise LabError(f"bad --chroot-python {v!r}: give a minor version such as 3.14")
    return _unique([Target(f"py{v}-chroot", chroot_version=v) for v in versions])


def _unique(targets: list[Target]) -> list[Target]:
    seen: dict[str, int] = {}
    for t in targets:
        seen[t.label] = seen.get(t.label, 0) + 1
        if seen[t.label] > 1:
            t.label = f"{t.label}-{seen[t.label]}"
    return targets


def plan(target: Target, chosen: list[measures.Measure], mode: measures.Mode,
         time_scale: float = 0.05) -> list[dict]:
    """The jobs of one Python: a worker run per script, measure and start method."""
    jobs: list[dict] = []
    scripts_done: set[tuple[str, str | None]] = set()
    for m in chosen:
        if m.group == "runner" and not target.is_lab_python:
            continue  # the runner's worker needs the lab: only mplab's own Python has it
        for method in (("fork", "spawn", "forkserver") if m.per_method else (None,)):
            if m.script == "startup.py":
                args = ["--measure", m.id, "--method", method, "--quiet"]
                args += (["--processes", str(mode.first_processes), "--values", "1",
                          "--warmups", "0", "--loops", "1"] if m.first_only else list(mode.pyperf))
                name = f"{m.id}-{method}"
            elif m.script == "memory.py":
                if (m.script, method) in scripts_done:
                    continue  # one run gives child_uss and child_pss
                args = ["--method", method, "--children", str(mode.children)]
                name = f"memory-{method}"
            else:  # runner_overhead.py: every example, bare and through the runner
                if (m.script, method) in scripts_done:
                    continue
                args = ["--time-scale", repr(time_scale), "--quiet", *mode.pyperf]
                name = "runner_overhead"
            scripts_done.add((m.script, method))
            jobs.append({"name": name, "script": m.script, "args": args, "method": method,
                         "file": f"{name}.json", "timeout": mode.timeout})
    return jobs


def prepare(target: Target, folder: Path, say=print) -> None:
    """A clean folder for the target's files, its plan, and (locally) its environment."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "plan.json").write_text(json.dumps({"jobs": target.jobs}, indent=1),
                                      encoding="utf-8")
    for script in SCRIPTS.glob("*.py"):  # beside the plan: the chroot sees this folder
        shutil.copy2(script, folder / script.name)
    if target.interp is not None and target.python is None:
        if target.is_lab_python:
            target.python = sys.executable
        else:
            target.python = venvs.environment_with(target.interp, TARGET_PACKAGES, say=say)


def command(target: Target, folder: Path, runner: Path) -> list[str]:
    """The command that runs the driver for ``target`` on its plan."""
    driver, plan_file = str(folder / "driver.py"), str(folder / "plan.json")
    if target.chroot_version is None:
        assert target.python is not None
        return [target.python, driver, plan_file]
    v = target.chroot_version
    venv = f"/tmp/mplab-bench-py{v}"  # the chroot's own /tmp, kept between runs
    packages = " ".join(shlex.quote(p) for p in TARGET_PACKAGES)
    script = (f"set -e; if [ ! -f {venv}/mplab-complete ]; then rm -rf {venv} {venv}.new; "
              f"python{v} -m venv {venv}.new; {venv}.new/bin/python -m pip install -q "
              f"{packages}; touch {venv}.new/mplab-complete; mv {venv}.new {venv}; fi; "
              f"exec {venv}/bin/python {shlex.quote(driver)} {shlex.quote(plan_file)}")
    return [str(runner), "run", "sh", "-c", script]


def run_driver(target: Target, folder: Path, runner: Path, cwd: Path, log,
               say=print) -> dict | None:
    """Run the target's driver, bounded by its jobs' timeouts; what it reported, or None.
    Its lines (a job's name and how it ended) go to ``log`` and, as they come, to ``say``."""
    cmd = command(target, folder, runner)
    timeout = sum(j["timeout"] for j in target.jobs) + ENV_TIMEOUT
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, text=True,
                            encoding="utf-8", errors="replace")
    assert proc.stdout is not None

    def relay() -> None:
        for line in proc.stdout:
            log.write(line)
            log.flush()
            say(line.rstrip("\n"))

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout)
        reader.join(5)
    except subprocess.TimeoutExpired:
        _kill(proc)
        target.problem = f"ran past {timeout:g} s and was stopped"
        return None
    except BaseException:
        _kill(proc)
        raise
    report = folder / "driver.json"
    if code != 0 or not report.is_file():
        target.problem = f"the driver exited with code {code}; see {log.name}"
        return None
    return json.loads(report.read_text(encoding="utf-8"))


def _kill(proc: subprocess.Popen) -> None:
    """The driver's whole session: the driver, its worker and their processes (the driver
    gives each worker a session of its own, so those are found through psutil)."""
    import psutil

    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    for p in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    proc.wait()
