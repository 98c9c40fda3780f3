"""Reading the lab's TOML data files, the same way on every supported Python."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 and 3.10
    import tomli as tomllib

DATA_DIR = Path(__file__).parent / "data"


def load(name: str) -> dict[str, Any]:
    """The parsed contents of ``lab/data/<name>``."""
    with open(DATA_DIR / name, "rb") as f:
        return tomllib.load(f)
