"""Compiling the page's C program with the system's C compiler, once per source and compiler."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lab.errors import LabError

CANDIDATES = ("cc", "gcc", "clang")


def find_compiler() -> str | None:
    """The C compiler to use: $CC if set, else the first of cc, gcc, clang on PATH."""
    if os.environ.get("CC"):
        return shutil.which(os.environ["CC"].split()[0])
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def why_not_compilable() -> str | None:
    """A reason the C example cannot run here, or None when it can."""
    if sys.platform == "win32" or not hasattr(os, "fork"):
        return "the C example calls fork(), which this platform does not have (Windows has no fork)"
    if find_compiler() is None:
        return (
            "no C compiler found (tried $CC, cc, gcc, clang): install one, "
            "e.g. `apt-get install gcc`, to run the C example"
        )
    return None


def compile_c(source: Path, timeout: float = 120) -> Path:
    """The executable built from ``source``, compiled on first use and cached by content hash."""
    reason = why_not_compilable()
    if reason:
        raise LabError(reason)
    compiler = find_compiler()
    assert compiler is not None
    digest = hashlib.sha256(source.read_bytes() + compiler.encode()).hexdigest()[:16]
    out_dir = Path(tempfile.gettempdir()) / "mplab-c"
    out_dir.mkdir(exist_ok=True)
    target = out_dir / f"{source.stem}-{digest}"
    if target.exists():
        return target
    # Build under a unique name and rename: parallel test workers may compile at the same time.
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{source.stem}-")
    os.close(fd)
    try:
        done = subprocess.run(
            [compiler, "-o", tmp, str(source)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
            raise LabError(f"compiling {source.name} with {compiler} failed: {first}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
