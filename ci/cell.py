"""One cell of the CI matrix: the specs under the running Python, exactly as ``tox`` runs them.

A CI cell and a developer run this the same way (``python ci/cell.py``), so a cell differs from
a local run only in the machine. It runs the tox env of the running Python (``py3XY``) and gives
the cell's results file and JUnit XML names that carry the cell's label (e.g.
``ubuntu-latest-py3.12``): the merge job downloads every cell's files into one folder, where
files of the same name would overwrite each other.

Exit code: tox's; or 1 when tox passed but a file the merge needs was not written.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A CI cell has nothing but its Python: the lab's contract module needs no package (stdlib only).
sys.path.insert(0, str(ROOT))

from lab import contract  # noqa: E402

TOX_REQUIREMENT = "tox>=4"
# tox.ini skips missing interpreters; a cell must not: a skip would look like a pass.
TOX_OPTIONS = ("--skip-missing-interpreters", "false")


def tox_env(version: tuple[int, ...] = tuple(sys.version_info[:2])) -> str:
    """The tox env of a Python version, e.g. ``py312`` for 3.12 (tox.ini's env_list)."""
    return f"py{version[0]}{version[1]}"


def tox_command(python: str = sys.executable, env: str | None = None) -> list[str]:
    """The command the cell runs: the same one ``.ci/run`` runs, for one env."""
    return [python, "-m", "tox", "run", "-e", env or tox_env(), *TOX_OPTIONS]


def default_label() -> str:
    """The run label CI sets from the matrix (lab/contract.py), else platform and Python."""
    if contract.label():
        return contract.label()
    plat = "linux" if sys.platform.startswith("linux") else sys.platform
    return f"local-{plat}-py{sys.version_info[0]}.{sys.version_info[1]}"


safe_label = contract.safe_label


def junit_name(label: str) -> str:
    return f"junit-{safe_label(label)}.xml"


def results_pattern(label: str) -> re.Pattern[str]:
    """Names of this label's results files (mplab-results-<label>-<UTC stamp>.json)."""
    return re.compile(rf"mplab-results-{re.escape(safe_label(label))}-\d{{8}}T\d{{6}}\.json")


def cell_environment(label: str, results_dir: Path,
                     base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment tox runs in: the label, the results folder, and UTF-8 everywhere.

    The page and the lab's output contain Chinese; Windows consoles and pipes default to a
    legacy code page, so Python is told to use UTF-8 for its streams and files.
    """
    env = dict(os.environ if base is None else base)
    env.update({contract.LABEL: label, contract.RESULTS_DIR: str(results_dir),
                "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"})
    return env


def has_tox() -> bool:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - Python < 3.8
        return False
    try:
        return int(version("tox").split(".")[0]) >= 4
    except (PackageNotFoundError, ValueError):
        return False


def ensure_tox() -> None:
    """Install tox into this Python unless it already has tox 4 (a fresh runner has none)."""
    if not has_tox():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", TOX_REQUIREMENT], check=True)


def clear_previous(results_dir: Path, label: str) -> None:
    """Remove this label's files of an earlier run, so the folder holds this run's only."""
    if not results_dir.is_dir():
        return
    pattern = results_pattern(label)
    for path in results_dir.iterdir():
        if pattern.fullmatch(path.name) or path.name == junit_name(label):
            path.unlink()


def collect(results_dir: Path, label: str, env: str, started: float) -> list[str]:
    """Name the JUnit XML after the label; the problems with what the run left (none: [])."""
    problems = []
    written = results_dir / f"junit-{env}.xml"  # the name tox.ini gives it
    if written.is_file() and written.stat().st_mtime >= started - 1:
        os.replace(written, results_dir / junit_name(label))
    if not (results_dir / junit_name(label)).is_file():
        problems.append(f"no JUnit XML ({written.name}) was written in {results_dir}")
    pattern = results_pattern(label)
    if not any(pattern.fullmatch(p.name) for p in results_dir.glob("mplab-results-*.json")):
        problems.append(f"no results file mplab-results-{safe_label(label)}-*.json was written "
                        f"in {results_dir}")
    return problems


def report(message: str, label: str) -> None:
    print(f"cell {label}: {message}", file=sys.stderr, flush=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # an annotation on the run's page
        print(f"::error title=mplab cell {label}::{message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default=default_label(),
                        help="the cell's name in file names and the report "
                             f"(default: ${contract.LABEL}, else local-<platform>-py3.X)")
    parser.add_argument("--results-dir", type=Path,
                        default=contract.results_dir(),
                        help="where the results file and JUnit XML go "
                             f"(default: ${contract.RESULTS_DIR}, else results/<label>)")
    parser.add_argument("--tox-workdir", type=Path, metavar="DIR",
                        help="tox's work folder (default: tox's own, .tox); another system "
                             "sharing this checkout, a chroot say, keeps its envs apart")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")

    label: str = args.label
    results_dir = Path(args.results_dir or ROOT / "results" / safe_label(label)).resolve()
    env = tox_env()
    print(f"cell {label}: Python {sys.version.split()[0]} ({sys.executable}), tox env {env}, "
          f"results in {results_dir}", flush=True)
    ensure_tox()
    clear_previous(results_dir, label)
    results_dir.mkdir(parents=True, exist_ok=True)

    started = time.time()
    command = tox_command(env=env) + (["--workdir", str(args.tox_workdir)]
                                      if args.tox_workdir else [])
    code = subprocess.run(command, cwd=ROOT,
                          env=cell_environment(label, results_dir)).returncode
    problems = collect(results_dir, label, env, started)
    for problem in problems:
        report(problem, label)
    if code != 0:
        report(f"tox exited with {code} after {time.time() - started:.0f} s", label)
    else:
        print(f"cell {label}: done in {time.time() - started:.0f} s", flush=True)
    return code or (1 if problems else 0)


if __name__ == "__main__":
    sys.exit(main())
