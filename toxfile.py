"""tox's inline plugin for this project: let tox find every CPython that pyenv installed.

pyenv's shims serve only the versions a user selected (often one), so tox's own discovery skips
py39 ... py313 on a machine that has them all under ``$PYENV_ROOT/versions``. This adds the
newest patch release of each CPython 3.X there to the executables tox tries first (what
``tox --discover PATH`` does); tox still checks each against the env's version, and on a machine
without pyenv nothing changes. (The tox-pyenv-redux plugin does not work with tox's current
virtualenv settings: it reads tox's ``VIRTUALENV_PYTHON=<0`` as the env's Python.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

try:
    from tox.plugin import impl
except ImportError:  # imported by the specs, where tox is not installed
    def impl(function):  # type: ignore[no-redef]
        return function

_RELEASE = re.compile(r"(3)\.(\d+)\.(\d+)")  # a CPython release folder, e.g. 3.12.1


def pyenv_pythons(root: Path) -> list[str]:
    """The newest ``bin/python3.X`` per minor version under ``root/versions``."""
    newest: dict[int, tuple[int, str]] = {}
    try:
        folders = list((root / "versions").iterdir())
    except OSError:
        return []
    for folder in folders:
        match = _RELEASE.fullmatch(folder.name)
        if not match:
            continue  # pypy, miniconda, a virtualenv, a pre-release
        minor, patch = int(match[2]), int(match[3])
        exe = folder / "bin" / f"python3.{minor}"
        if exe.is_file() and (minor not in newest or patch > newest[minor][0]):
            newest[minor] = (patch, str(exe))
    return [path for _, (_, path) in sorted(newest.items())]


@impl
def tox_add_core_config(core_conf: Any, state: Any) -> None:
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    options = state.conf.options
    options.discover = [*getattr(options, "discover", []), *pyenv_pythons(root)]
