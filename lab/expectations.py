"""What a spec expects, per start method, platform and Python version: lab/data/expectations.toml.

Keeping these as data lets a results file say both what was observed and what the lab expected
for that cell, and lets a reader see every version boundary with its source in one place.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from lab.datafiles import load
from lab.platforms import platform_key


@dataclass(frozen=True)
class Expectation:
    name: str
    value: Any
    source: str


@cache
def _table() -> dict[str, Any]:
    return load("expectations.toml")


def names() -> list[str]:
    return list(_table())


def expected(
    name: str,
    *,
    start_method: str | None = None,
    python: str | None = None,
    sys_platform: str | None = None,
) -> Expectation:
    """The first rule of ``name`` whose conditions hold; defaults describe this interpreter."""
    version = Version(python or platform.python_version())
    where = platform_key(sys_platform or sys.platform)
    for rule in _table()[name]["rules"]:
        when = rule["when"]
        if "start_method" in when and when["start_method"] != start_method:
            continue
        if "platform" in when and when["platform"] != where:
            continue
        if "python" in when and not SpecifierSet(when["python"]).contains(
            version, prereleases=True
        ):
            continue
        return Expectation(name, rule["value"], rule.get("source", ""))
    raise LookupError(f"no rule of {name!r} matches {start_method}, {version}, {where}")
