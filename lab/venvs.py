"""A virtual environment with the lab installed, per Python, cached between runs of the matrix.

An environment enters the cache only when it is complete: it is built in a temporary folder
beside the cache and renamed into place after every step succeeded, so an interrupted or failed
build leaves nothing that a later run would take for a working environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lab import contract
from lab.errors import LabError
from lab.interpreters import Interpreter

PIP_TIMEOUT = 900  # seconds for one pip step, a slow mirror included
_COMPLETE = "mplab-complete"  # written last into a finished environment


def _python_in(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _run(step: list[str], what: str) -> None:
    """Run one build step; a failure is one line that quotes the step's last error line.

    The step gets a temporary folder of its own, removed after it: the pip that 3.9's ensurepip
    runs from its wheel unpacks certifi's cacert.pem there and never deletes it (a 270 KB file
    left in /tmp per environment otherwise).
    """
    with tempfile.TemporaryDirectory(prefix="mplab-build-tmp-") as tmp:
        env = {**os.environ, "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp}
        try:
            done = subprocess.run(step, capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=PIP_TIMEOUT, stdin=subprocess.DEVNULL,
                                  env=env)
        except subprocess.TimeoutExpired:
            raise LabError(f"{what} took over {PIP_TIMEOUT} s (is the package index reachable?)"
                           ) from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR:")]
        last = (errors or lines or ["(no message)"])[-1]
        raise LabError(f"{what} failed: {last}")


def environment_for(interp: Interpreter, root: Path, say=print) -> str:
    """A Python that has the lab at ``root`` installed: this one, or a cached environment."""
    if os.path.realpath(interp.path) == os.path.realpath(sys.executable):
        return sys.executable
    digest = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()[:10]
    venvs = contract.cache_root() / "venvs"
    venv = venvs / f"py{interp.version}-{digest}"
    python = _python_in(venv)
    if (venv / _COMPLETE).is_file():
        # Keep the cached lab current with the checkout (its dependencies are keyed by digest).
        _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
              "--disable-pip-version-check", str(root)], "updating the lab with pip")
        return str(python)
    return _build(interp, venv, [str(root)], say)


def environment_with(interp: Interpreter, packages: list[str], say=print) -> str:
    """A Python that has ``packages`` (requirement strings) installed, the lab not among them:
    what ``mplab bench`` needs in each Python it measures, cached as the matrix's are."""
    digest = hashlib.sha256("\n".join(sorted(packages)).encode()).hexdigest()[:10]
    venv = contract.cache_root() / "bench-venvs" / f"py{interp.version}-{digest}"
    if (venv / _COMPLETE).is_file():
        return str(_python_in(venv))
    return _build(interp, venv, packages, say)


def _build(interp: Interpreter, venv: Path, install: list[str], say) -> str:
    """Build ``venv`` with ``install`` in a temporary folder, renamed into place when whole."""
    python = _python_in(venv)
    venvs = venv.parent
    if venv.exists():  # left by an older mplab, or by hand: not known to be whole
        shutil.rmtree(venv, ignore_errors=True)
    venvs.mkdir(parents=True, exist_ok=True)
    say(f"making an environment for Python {interp.version} in {venv} …")
    building = Path(tempfile.mkdtemp(prefix=f".building-{venv.name}-", dir=venvs))
    try:
        # --upgrade-deps: the pip an interpreter bundles can be years old (pyenv's 3.9.18 has
        # 23.0.1, whose resolver backtracked through cffi for over 20 minutes here where pip 26
        # installs the lab in 20 s).
        _run([interp.path, "-m", "venv", "--upgrade-deps", str(building)], "python -m venv")
        _run([str(_python_in(building)), "-m", "pip", "install", "-q",
              "--disable-pip-version-check", *install], "pip install")
        (building / _COMPLETE).write_text(interp.version, encoding="utf-8")
        try:
            building.rename(venv)
        except OSError:  # another mplab finished the same environment first
            if not (venv / _COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return str(python)
