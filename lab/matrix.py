"""``mplab matrix``: run every spec under each Python given, and show the merged matrix.

Each Python runs the specs in its own virtual environment (made once, cached) with pytest and
xdist, writing a results file; the results are then merged exactly as CI merges its cells. The
interpreter mplab itself runs on needs no environment of its own.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lab import merge, report
from lab.errors import LabError
from lab.platforms import SUPPORTED_PYTHONS
from lab.report import LEGEND, METHOD_NOTE, method_marks

SPEC_TIMEOUT = 30 * 60  # seconds for one Python's whole run of the specs


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: str  # e.g. "3.12.1"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def checkout_root(start: Path | None = None) -> Path:
    """The lab's source checkout (it holds the specs), found from the working folder up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "tests" / "conftest.py").is_file() and (folder / "pyproject.toml").is_file():
            return folder
    raise LabError(
        "no checkout of the lab here: run `mplab matrix` from the lab's source folder "
        "(it holds tests/ and pyproject.toml)"
    )


def describe(python: str) -> Interpreter:
    try:
        done = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(f"cannot run Python {python!r}: {exc}") from None
    if done.returncode != 0 or not done.stdout.strip():
        raise LabError(f"{python!r} did not run as a Python interpreter")
    return Interpreter(python, done.stdout.strip())


def resolve(spec: str) -> Interpreter:
    """An interpreter from a path, a command, or a version such as "3.12"."""
    if re.fullmatch(r"3\.\d+", spec):
        found = [i for i in find_pythons() if i.minor == spec]
        if not found:
            raise LabError(f"no Python {spec} found on PATH or under ~/.pyenv/versions")
        return found[0]
    path = shutil.which(spec) or spec
    if not os.path.exists(path):
        raise LabError(f"no Python at {spec!r}: give a path, a command on PATH, or a version")
    return describe(path)


def find_pythons() -> list[Interpreter]:
    """CPython 3.9-3.14 on PATH (python3.X) or under pyenv's versions folder, one per version."""
    candidates: list[str] = []
    for version in SUPPORTED_PYTHONS:
        found = shutil.which(f"python{version}")
        if found:
            candidates.append(found)
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3")))
    by_minor: dict[str, Interpreter] = {}
    for path in candidates:
        try:
            interp = describe(path)
        except LabError:
            continue
        if interp.minor in SUPPORTED_PYTHONS:
            by_minor.setdefault(interp.minor, interp)
    return [by_minor[v] for v in SUPPORTED_PYTHONS if v in by_minor]


def environment_for(interp: Interpreter, root: Path, console: Console) -> str:
    """A Python that has the lab installed: this one, or a cached virtual environment."""
    if os.path.realpath(interp.path) == os.path.realpath(sys.executable):
        return sys.executable
    digest = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()[:10]
    cache = Path(os.environ.get("MPLAB_CACHE", Path.home() / ".cache" / "mplab"))
    venv = cache / "venvs" / f"py{interp.version}-{digest}"
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if not python.exists():
        console.print(f"making an environment for Python {interp.version} in {venv} …")
        steps = [
            [interp.path, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             f"{root}[test]"],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=900)
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                tail = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
                raise LabError(f"could not prepare Python {interp.version}: {tail}")
    else:  # keep the cached environment's lab current with the checkout
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps",
                        "--disable-pip-version-check", str(root)],
                       capture_output=True, text=True, timeout=900)
    return str(python)


def _collect_count(python: str, tests: Path) -> int:
    done = subprocess.run([python, "-m", "pytest", "--collect-only", "-q", "-p",
                           "no:cacheprovider", str(tests)],
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=300, cwd=tests.parent)
    match = re.search(r"(\d+) tests? collected", done.stdout)
    return int(match[1]) if match else sum(1 for line in done.stdout.splitlines() if "::" in line)


def run_matrix(pythons: list[Interpreter], out: Path, console: Console | None = None) -> int:
    """Run the specs under each Python into ``out``; the exit code of the whole run."""
    console = console or Console()
    root = checkout_root()
    tests = root / "tests"
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        for interp in pythons:
            python = environment_for(interp, root, console)
            total = _collect_count(python, tests)
            task = progress.add_task(f"Python {interp.version}", total=total)
            label = f"matrix-{sys.platform}-py{interp.version}"
            with tempfile.TemporaryDirectory() as tmp:
                progress_file = Path(tmp) / "progress"
                progress_file.touch()
                env = {**os.environ, "MPLAB_PROGRESS_FILE": str(progress_file)}
                env.pop("MPLAB_RESULTS_DIR", None)
                cmd = [python, "-m", "pytest", str(tests), "-n", "auto", "-q",
                       "-p", "no:cacheprovider", "--mplab-results", str(out),
                       "--mplab-label", label,
                       "--junitxml", str(out / f"junit-{label}.xml")]
                log = (out / f"pytest-{label}.log").open("w", encoding="utf-8")
                proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log,
                                        stderr=subprocess.STDOUT)
                deadline = time.monotonic() + SPEC_TIMEOUT
                while proc.poll() is None:
                    if time.monotonic() > deadline:
                        proc.kill()
                        break
                    progress.update(task, completed=_lines(progress_file))
                    time.sleep(0.2)
                proc.wait()
                log.close()
                progress.update(task, completed=_lines(progress_file))
                if proc.returncode not in (0, 1):
                    console.print(f"[red]Python {interp.version}: pytest exited with "
                                  f"{proc.returncode}; see {log.name}[/red]")
                failures += proc.returncode != 0
    matrix = merge.merge([out])
    show(matrix, console)
    report.write(matrix, out / "mplab-report.md", out / "mplab-report.html")
    console.print(f"results, JUnit XML, logs and the report are in [bold]{out}[/bold] "
                  f"(open {out / 'mplab-report.html'})")
    return 1 if failures else 0


def _lines(path: Path) -> int:
    try:
        return len(path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return 0


def show(matrix: merge.Matrix, console: Console) -> None:
    """The matrix in the terminal: claims by platform and Python, one glyph per cell."""
    columns = [c for c in matrix.columns
               if any(matrix.claim_status(cl.id, c) != "not run" for cl in matrix.claims)]
    table = Table(title="mplab matrix", caption=f"{LEGEND}\n{METHOD_NOTE}")
    table.add_column("claim")
    table.add_column("verdict")
    for column in columns:
        table.add_column(column.title, justify="center")
    for claim in matrix.claims:
        table.add_row(claim.id, claim.verdict,
                      *(method_marks(matrix, claim.id, c) for c in columns))
    console.print(table)


def default_out() -> Path:
    return Path(f"mplab-results-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S')}")
