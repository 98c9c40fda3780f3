"""Finding the CPythons to run the specs under, and refusing the ones the lab cannot run on.

A Python is named by path, by command, or by version ("3.12"); versions are looked up on PATH
(``python3.X``) and among pyenv's installs, whose shims often serve only one of them.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from lab.errors import LabError
from lab.platforms import SUPPORTED_PYTHONS

MINIMUM = Version("3.9")  # pyproject.toml's requires-python


@dataclass(frozen=True)
class Interpreter:
    path: str
    version: str  # e.g. "3.12.1"
    implementation: str = "CPython"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def supported_range() -> str:
    return f"{SUPPORTED_PYTHONS[0]}-{SUPPORTED_PYTHONS[-1]}"


def describe(python: str) -> Interpreter:
    """Ask ``python`` its version; works on any Python that can still start (2.7 included)."""
    code = ("import platform; print(platform.python_implementation() + ' ' + "
            "platform.python_version())")
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(f"cannot run Python {python!r}: {exc}") from None
    impl, _, version = done.stdout.strip().partition(" ")
    if done.returncode != 0 or not version:
        raise LabError(f"{python!r} did not run as a Python interpreter")
    return Interpreter(python, version, impl)


def check_supported(interp: Interpreter) -> Interpreter:
    """``interp``, or a LabError that says which Pythons the lab runs on."""
    try:
        old = Version(interp.version) < MINIMUM
    except InvalidVersion:
        old = True
    if old or interp.implementation != "CPython":
        raise LabError(
            f"{interp.implementation} {interp.version} at {interp.path} is not supported: the lab "
            f"runs on CPython {MINIMUM} or newer (tested: {supported_range()})"
        )
    return interp


def _candidates(minor: str | None) -> list[str]:
    """Paths that may be CPython ``minor`` (every 3.X when None), newest patch first."""
    found: list[str] = []
    for version in [minor] if minor else SUPPORTED_PYTHONS:
        path = shutil.which(f"python{version}")
        if path:
            found.append(path)
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    pattern = f"{minor}.*" if minor else "3.*"
    installs = glob.glob(os.path.join(root, "versions", pattern, "bin", "python3"))
    found += sorted(installs, key=_natural, reverse=True)
    return found


def _natural(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def find(minor: str) -> Interpreter | None:
    """CPython ``minor`` ("3.12") on PATH or under pyenv, whether the lab supports it or not."""
    for path in _candidates(minor):
        try:
            interp = describe(path)
        except LabError:
            continue  # a shim for a version pyenv does not serve here, say
        if interp.minor == minor and interp.implementation == "CPython":
            return interp
    return None


def find_all() -> list[Interpreter]:
    """One CPython per supported version found on PATH or under pyenv, oldest first."""
    found = [find(version) for version in SUPPORTED_PYTHONS]
    return [interp for interp in found if interp is not None]


def resolve(spec: str) -> Interpreter:
    """An interpreter the lab supports, from a path, a command, or a version such as "3.12"."""
    if re.fullmatch(r"\d+\.\d+", spec):
        interp = find(spec)
        if interp is None:
            raise LabError(f"no Python {spec} found on PATH (python{spec}) or under "
                           f"$PYENV_ROOT/versions; the lab runs on CPython {supported_range()}")
        return check_supported(interp)
    path = shutil.which(spec) or spec
    if not os.path.exists(path):
        raise LabError(f"no Python at {spec!r}: give a path, a command on PATH, or a version "
                       "such as 3.12")
    return check_supported(describe(path))
