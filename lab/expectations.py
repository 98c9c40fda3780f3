"""What a spec expects, per start method, platform and Python version: lab/data/expectations.toml.

Keeping these as data lets a results file say both what was observed and what the lab expected
for that cell, and lets a reader see every version boundary with its source in one place.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from lab import datafiles as df
from lab.platforms import ALL_METHODS, platform_key, platforms

EXPECTATIONS_TOML = df.DATA_DIR / "expectations.toml"

SCHEMA = df.Each(df.Table("an expectation", {
    "claim": df.req(df.TEXT),
    "description": df.req(df.TEXT),
    "labels": df.opt(df.Each(df.TEXT)),
    "rules": df.req(df.ListOf(df.Table("a rule", {
        "when": df.req(df.Table("a rule's when", {
            "start_method": df.opt(df.OneOf("start method", ALL_METHODS)),
            "platform": df.opt(df.OneOf("platform", lambda: tuple(platforms()))),
            "python": df.opt(df.Specifier()),
        })),
        "value": df.req(df.Anything()),
        "source": df.req(df.TEXT),
    }), min_length=1)),
}))


@dataclass(frozen=True)
class Expectation:
    """What a spec expects in one cell, and why: both go into the results file."""

    name: str
    value: Any
    source: str
    labels: dict[str, str] = field(default_factory=dict)  # JSON text of a value -> its words


@dataclass(frozen=True)
class Rule:
    when: dict[str, str]
    value: Any
    source: str


@dataclass(frozen=True)
class ExpectationSet:
    """One entry of expectations.toml: the claim its specs check, and its rules in order."""

    name: str
    claim: str
    description: str
    rules: tuple[Rule, ...]
    labels: dict[str, str] = field(default_factory=dict)


def load_expectations(path: Path) -> dict[str, ExpectationSet]:
    """The entries of an expectations.toml, checked: a DataError names a bad line."""
    return {
        name: ExpectationSet(
            name=name,
            claim=entry["claim"],
            description=entry["description"],
            rules=tuple(Rule(r["when"], r["value"], r["source"]) for r in entry["rules"]),
            labels=dict(entry.get("labels", {})),
        )
        for name, entry in df.read(path, SCHEMA).data.items()
    }


@cache
def expectations() -> dict[str, ExpectationSet]:
    """expectations.toml's entries, then each catalog behavior's ``[expect.NAME]`` tables."""
    from lab.behaviors import behaviors

    found = load_expectations(EXPECTATIONS_TOML)
    for b in behaviors().values():
        for name, entry in b.data.get("expect", {}).items():
            if name in found:
                raise LookupError(f"{b.path}: expectation {name!r} is defined twice")
            found[name] = ExpectationSet(
                name=name, claim=b.id, description=entry["description"],
                rules=tuple(Rule(r["when"], r["value"], r["source"]) for r in entry["rules"]),
                labels=dict(entry.get("labels", {})))
    return found


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
    entry = expectations()[name]
    for rule in entry.rules:
        when = rule.when
        if "start_method" in when and when["start_method"] != start_method:
            continue
        if "platform" in when and when["platform"] != where:
            continue
        if "python" in when and not SpecifierSet(when["python"]).contains(
            version, prereleases=True
        ):
            continue
        return Expectation(name, rule.value, rule.source, entry.labels)
    raise LookupError(f"no rule of {name!r} ({entry.description}) matches {start_method}, "
                      f"{version}, {where}")
