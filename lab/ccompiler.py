"""Compiling the page's C program with the system's C compiler, once per source and compiler.

Binaries are cached by content hash in a per-user folder, never in a shared one such as /tmp:
a binary someone else planted under the expected name would run as the user. The folder and
each binary are checked (owner, no write access for others) before use.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from lab import contract
from lab.errors import LabError
from lab.records import check_private, foreign_owner, writable_by_others

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


def cache_dir() -> Path:
    """The per-user folder of compiled binaries, ``c`` in the lab's cache folder
    (lab/contract.py); made private (0700) and checked before use."""
    root = contract.cache_root()
    folder = root / "c"
    for path in (root, folder):
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise LabError(f"cannot make the C binary cache {path}: {exc.strerror}") from None
        check_private(path, "C binary cache folder")
    return folder


def _check_binary(target: Path) -> None:
    st = os.lstat(target)
    if not stat.S_ISREG(st.st_mode) or foreign_owner(st):
        raise LabError(f"the cached binary {target} is not a file of yours (uid {st.st_uid}): "
                       "remove it; the lab will compile it again")
    if writable_by_others(st):
        raise LabError(f"the cached binary {target} is writable by others: remove it; "
                       "the lab will compile it again")


def compile_c(source: Path, timeout: float = 120) -> Path:
    """The executable built from ``source``, compiled on first use and cached by content hash."""
    reason = why_not_compilable()
    if reason:
        raise LabError(reason)
    compiler = find_compiler()
    assert compiler is not None
    digest = hashlib.sha256(source.read_bytes() + compiler.encode()).hexdigest()[:16]
    out_dir = cache_dir()
    target = out_dir / f"{source.stem}-{digest}"
    if os.path.lexists(target):
        _check_binary(target)
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
        os.chmod(tmp, 0o700)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
