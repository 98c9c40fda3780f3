"""Results files: one JSON document per run of the specs, versioned and validated on read.

The schema is lab/data/results.schema.json (documented in docs/results.md). Reading is strict
and says what is wrong in one line naming the file, so a merge can skip a broken file and keep
the rest.
"""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

from lab import contract, schemas
from lab.datafiles import DATA_DIR
from lab.errors import LabError
from lab.platforms import build, platform_key, platforms

SCHEMA_NAME = "mplab-results"
SCHEMA_VERSION = 2  # what this mplab writes
READABLE_VERSIONS = (1, 2)  # version 1: no observed labels (docs/results.md)


class ResultsError(LabError):
    """A results file that cannot be used: missing, not JSON, or not of the schema."""


@cache
def schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    name = (
        "results.schema.json" if version == SCHEMA_VERSION else f"results.v{version}.schema.json"
    )
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def run_info(label: str | None = None) -> dict[str, Any]:
    """The ``run`` block describing this interpreter and platform."""
    import multiprocessing

    key = platform_key()
    info = {
        "platform": key,
        "platform_name": platforms()[key].name,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "build": build(),
        "start_methods": list(multiprocessing.get_all_start_methods()),
        "default_start_method": multiprocessing.get_all_start_methods()[0],
    }
    if label:
        info["label"] = label
    return info


def document(specs: list[dict[str, Any]], label: str | None = None) -> dict[str, Any]:
    return {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "run": run_info(label),
        "specs": specs,
    }


def write(path: Path, doc: dict[str, Any]) -> Path:
    """Validate and write atomically: a reader never sees half a file."""
    schemas.validate(doc, schema())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(json.dumps(doc, indent=1, ensure_ascii=False, default=repr).encode("utf-8"))
    tmp.replace(path)
    return path


def read(path: Path | str) -> dict[str, Any]:
    """A validated results document, or a ResultsError whose message names the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM, as Windows tools write, is fine
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ResultsError(f"{path}: not JSON (truncated?): {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA_NAME:
        raise ResultsError(f"{path}: not an mplab results file (no \"schema\": \"{SCHEMA_NAME}\")")
    version = doc.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ResultsError(
            f"{path}: results schema version {version!r}, this mplab reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}: use the mplab that wrote it"
        )
    try:
        schemas.validate(doc, schema(version))
    except schemas.Invalid as exc:
        raise ResultsError(f"{path}: invalid {exc}") from None
    return doc


def default_path(folder: Path, label: str | None = None) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    tag = label or f"{platform_key()}-py{platform.python_version()}"
    return folder / f"mplab-results-{contract.safe_label(tag)}-{stamp}.json"


__all__ = ["ResultsError", "document", "read", "run_info", "schema", "write"]
