"""A rehearsal of the CI matrix on this machine: its cells, the artifacts' layout, and the merge.

It plays the workflow (.github/workflows/matrix.yml) with real results, so the path from cells to
the merged view is tested before a push:

1. one cell per supported CPython found here, each run as the workflow's cell job runs it
   (``python ci/cell.py`` from a fresh environment that has nothing but that Python); and one
   per CPython of another system's root (``--chroot-python 3.15``: Debian's, through a command
   such as shared/tools/sid-python that runs a command inside it), the same way, in there;
   and one per Windows CPython under Wine (``--wine-python 3.13``: python.org's embeddable
   build, ci/wine_cell.py), whose results are Wine's evidence about Windows;
2. each cell's folder "uploaded" and all of them "downloaded" into one folder, as
   download-artifact with ``merge-multiple`` lays them out: two cells writing a file of the same
   name would overwrite each other there, so that is an error here;
3. the merge job's step (``python ci/merge.py``) in an environment with the lab installed,
   with a job summary file as GitHub gives one;
4. checks that the summary and the HTML page exist, fit, and show every cell.

    python ci/rehearse.py [--python 3.12 ...] [--chroot-python 3.15 ...]
                          [--wine-python 3.13 ...] [--out DIR]

It runs with the lab installed (it finds Pythons and names platforms as the lab does).

Exit code 0 when every cell passed and the merged view is whole, 1 otherwise, 2 when no Python.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "ci"))

import cell  # noqa: E402 - ci/ is not a package
import merge  # noqa: E402
from packaging.version import Version  # noqa: E402

from lab import contract, interpreters  # noqa: E402
from lab.platforms import SUPPORTED_PYTHONS, platform_key, platforms  # noqa: E402

MERGE_PYTHON = "3.12"  # the merge job's Python in the workflow (newest found when absent)
CELL_TIMEOUT = 45 * 60  # the workflow's timeout-minutes for a cell
CHROOT_RUNNER = ROOT.parent / "shared" / "tools" / "sid-python"  # `RUNNER run CMD...`
CHROOT_BUILD = "debian"  # what the chroot's Pythons are, in their cells' labels


@dataclass
class CellRun:
    version: str
    python: str
    label: str
    folder: Path
    code: int | None = None
    seconds: float = 0.0
    chroot: bool = False  # the Python lives in the chroot, not on this system
    wine: bool = False  # python.org's Windows CPython under Wine (ci/wine_cell.py)

    @property
    def column(self) -> str:
        """The start of the column title its results get in the merged report."""
        if self.wine:
            return f"{platforms()['win32'].name} {self.version} (Wine"
        return f"{platforms()[platform_key()].name} {self.version}"


def runner_python(base: str, where: Path) -> str:
    """A fresh virtual environment of ``base``: the stand-in for a runner's setup-python.

    venv gets a temporary folder of its own: the pip that 3.9's ensurepip runs leaves certifi's
    cacert.pem in it (lab/venvs.py says more)."""
    with tempfile.TemporaryDirectory(prefix="mplab-venv-tmp-") as tmp:
        subprocess.run([base, "-m", "venv", str(where)], check=True,
                       env={**os.environ, "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp})
    return str(where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python"))


def run_cell(c: CellRun, python: str) -> None:
    """The cell job's run step, with the job's env (the run label and the results folder)."""
    env = {**os.environ, contract.LABEL: c.label, contract.RESULTS_DIR: str(c.folder)}
    env.pop("VIRTUAL_ENV", None)
    _timed(c, [python, str(ROOT / "ci" / "cell.py")], env)


def run_chroot_cell(c: CellRun, runner: Path) -> None:
    """The same step with the chroot's Python: a fresh venv in there, tox's envs apart from this
    system's (the checkout is shared with it), the checkout at the same path inside."""
    venv = f"/tmp/mplab-cell-{c.version}"
    script = (f'set -e; rm -rf {venv}; python{c.version} -m venv {venv}; '
              f'exec env {contract.LABEL}={c.label} {contract.RESULTS_DIR}={c.folder} '
              f'{venv}/bin/python ci/cell.py --tox-workdir .tox-{CHROOT_BUILD}')
    _timed(c, [str(runner), "run", "sh", "-c", script], dict(os.environ))


def run_wine_cell(c: CellRun) -> None:
    """The Windows cell: its own harness builds the Windows CPython under Wine and runs it."""
    _timed(c, [sys.executable, str(ROOT / "ci" / "wine_cell.py"), "--python", c.version,
               "--label", c.label, "--results-dir", str(c.folder)], dict(os.environ))


def _timed(c: CellRun, cmd: list[str], env: dict[str, str]) -> None:
    started = time.monotonic()
    try:
        c.code = subprocess.run(cmd, cwd=ROOT, env=env, timeout=CELL_TIMEOUT).returncode
    except subprocess.TimeoutExpired:
        print(f"rehearsal: cell {c.label} ran past {CELL_TIMEOUT} s", file=sys.stderr)
        c.code = 124
    c.seconds = time.monotonic() - started


def download(cells: list[CellRun], into: Path) -> list[str]:
    """Every cell's files in one folder, as download-artifact with merge-multiple puts them.

    An artifact's root is its uploaded folder, so each cell's files land at the top; a name two
    cells share would be overwritten silently in CI, and is a problem here.
    """
    problems = []
    origin: dict[Path, str] = {}
    into.mkdir(parents=True)
    for c in cells:
        if not c.folder.is_dir():
            continue
        for path in sorted(p for p in c.folder.rglob("*") if p.is_file()):
            target = into / path.relative_to(c.folder)
            if target in origin:
                problems.append(f"{target.name}: written by cells {origin[target]} and {c.label}; "
                                "the merge would keep only one")
                continue
            origin[target] = c.label
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    return problems


def check_cell_files(cells: list[CellRun], folder: Path) -> list[str]:
    """Each cell's results file and JUnit XML, under names that carry its label."""
    problems = []
    for c in cells:
        if not (folder / cell.junit_name(c.label)).is_file():
            problems.append(f"cell {c.label}: no {cell.junit_name(c.label)} among the artifacts")
        pattern = cell.results_pattern(c.label)
        if not any(pattern.fullmatch(p.name) for p in folder.glob("mplab-results-*.json")):
            problems.append(f"cell {c.label}: no results file among the artifacts")
    return problems


def check_merged(cells: list[CellRun], summary: Path, html: Path) -> list[str]:
    """The summary fits GitHub's limit and shows every cell's column; the page names every run."""
    problems = []
    if not summary.is_file() or summary.stat().st_size == 0:
        return [f"the job summary {summary} is empty"]
    if summary.stat().st_size > merge.SUMMARY_LIMIT:
        problems.append(f"the job summary is {summary.stat().st_size} bytes, over GitHub's "
                        f"{merge.SUMMARY_LIMIT}")
    text = summary.read_text(encoding="utf-8").replace("\\", "")  # Markdown's escapes off
    merged = re.search(r"(\d+) results file\(s\) merged", text)
    if not merged or int(merged[1]) != len(cells):
        problems.append(f"the summary says {merged[0] if merged else 'nothing'} merged, "
                        f"expected {len(cells)} results file(s)")
    not_run = " ".join(line for line in text.splitlines() if line.startswith("Not run:"))
    page = html.read_text(encoding="utf-8") if html.is_file() else ""
    if not page:
        problems.append(f"no HTML page at {html}")
    for c in cells:
        column = c.column
        if column not in text or re.search(rf"\b{re.escape(column)}\b(?![.\d])", not_run):
            problems.append(f"the summary shows no results for {column} (cell {c.label})")
        if page and c.label not in page:
            problems.append(f"the HTML page does not name cell {c.label}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", default=[], metavar="3.X",
                        help="a version to rehearse (repeatable; each must be found). "
                             "Default: every supported CPython found here")
    parser.add_argument("--chroot-python", action="append", default=[], metavar="3.X",
                        help="a version to rehearse with the chroot's python3.X (repeatable)")
    parser.add_argument("--wine-python", action="append", default=[], metavar="3.X",
                        help="a version of python.org's Windows CPython (3.9-3.13) to rehearse "
                             "under Wine, as a Windows cell (repeatable; ci/wine_cell.py)")
    parser.add_argument("--chroot-runner", type=Path, default=CHROOT_RUNNER,
                        help="the command that runs `RUNNER run CMD...` in the chroot "
                             "(default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "rehearsal",
                        help="where cells, artifacts and the merged view go (replaced; "
                             "default: %(default)s)")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")

    wanted = tuple(args.python) or SUPPORTED_PYTHONS
    pythons = {v: i.path for v in wanted if (i := interpreters.find(v)) is not None}
    missing = [v for v in args.python if v not in pythons]
    if missing or not (pythons or args.chroot_python or args.wine_python):
        print(f"rehearsal: no CPython {', '.join(missing or wanted)} found on PATH (python3.X) "
              "or under $PYENV_ROOT/versions", file=sys.stderr)
        return 2
    if args.chroot_python and not os.access(args.chroot_runner, os.X_OK):
        print(f"rehearsal: no chroot runner at {args.chroot_runner}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    if args.chroot_python and ROOT.resolve() not in out.parents:
        print(f"rehearsal: --out {out} must be inside the checkout {ROOT}: the chroot sees "
              "the checkout only", file=sys.stderr)
        return 2
    if out.exists():
        shutil.rmtree(out)
    plat = platform_key()
    cells = [CellRun(v, p, f"rehearsal-{plat}-py{v}", out / "cells" / f"rehearsal-{plat}-py{v}")
             for v, p in pythons.items()]
    cells += [CellRun(v, f"python{v}", label, out / "cells" / label, chroot=True)
              for v in args.chroot_python
              for label in [f"rehearsal-{plat}-py{v}-{CHROOT_BUILD}"]]
    cells += [CellRun(v, "python.exe", label, out / "cells" / label, wine=True)
              for v in args.wine_python for label in [f"rehearsal-win32-py{v}-wine"]]
    print(f"rehearsal: {len(cells)} cell(s): {', '.join(c.label for c in cells)}; in {out}",
          flush=True)

    with tempfile.TemporaryDirectory(prefix="mplab-rehearsal-") as tmp:
        for c in cells:  # one after another: each cell already uses every core (pytest -n auto)
            print(f"\nrehearsal: cell {c.label} with {c.python}"
                  f"{' in the chroot' if c.chroot else ' under Wine' if c.wine else ''}",
                  flush=True)
            if c.chroot:
                run_chroot_cell(c, args.chroot_runner)
            elif c.wine:
                run_wine_cell(c)
            else:
                run_cell(c, runner_python(c.python, Path(tmp) / c.label))
        artifacts = out / "artifacts"
        problems = download(cells, artifacts)
        problems += check_cell_files(cells, artifacts)

        merge_base = pythons.get(MERGE_PYTHON) or (
            pythons[max(pythons, key=Version)] if pythons else sys.executable)
        print(f"\nrehearsal: merge job with {merge_base}", flush=True)
        python = runner_python(merge_base, Path(tmp) / "merge")
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        str(ROOT)], check=True)
        summary = out / "job-summary.md"
        summary.touch()
        html = out / "mplab-matrix.html"
        merged = subprocess.run(
            [python, str(ROOT / "ci" / "merge.py"), str(artifacts), "--html", str(html),
             "--markdown", str(out / "mplab-matrix.md")],
            cwd=out, env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    if merged.returncode != 0:
        problems.append(f"the merge step exited with {merged.returncode}")
    problems += check_merged(cells, summary, html)

    print("\nrehearsal: cells")
    for c in cells:
        state = "passed" if c.code == 0 else f"FAILED (exit {c.code})"
        print(f"  {c.label:<36} {state:<18} {c.seconds:6.0f} s")
    failed = [c for c in cells if c.code != 0]
    for problem in problems:
        print(f"rehearsal: {problem}", file=sys.stderr)
    print(f"rehearsal: merged view in {summary} and {html}")
    if failed or problems:
        print(f"rehearsal: FAILED ({len(failed)} cell(s) failed, {len(problems)} problem(s))",
              file=sys.stderr)
        return 1
    print("rehearsal: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
