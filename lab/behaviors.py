"""The catalog: behaviors of multiprocessing beyond the page, one data file each.

A behavior is three files a person writes by hand (``mplab new NAME`` scaffolds them):

- ``lab/data/behaviors/NAME.toml``: the claim (id ``Lnn``, gloss, verdict, sources), what the
  lab expects per start method, platform and Python (``[expect.KEY]``, the rules of
  lab/data/expectations.toml), and the symptoms ``mplab check`` recognizes it by;
- ``lab/probes/NAME.py``: the program that shows the behavior;
- ``tests/catalog/test_NAME.py``: the specs, marked ``@pytest.mark.claim("Lnn")``.

The ledger (lab/ledger.py) and the expectations (lab/expectations.py) read these files beside
their own, so a behavior needs no line in any shared file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lab import datafiles as df
from lab.errors import DataError
from lab.platforms import ALL_METHODS

BEHAVIORS_DIR = df.DATA_DIR / "behaviors"

VERDICT_NAMES = ("holds", "conditional", "wrong", "untestable")  # lab/ledger.py VERDICTS

SOURCE = df.Table("a source", {
    "title": df.req(df.TEXT),
    "url": df.req(df.Matching(r"https?://\S+", "an http(s) URL")),
    "versions": df.req(df.TEXT),
})

# Words for observed values that are not words themselves: the JSON text of a value -> its label,
# e.g. labels = { true = "same value", false = "different value" }.
LABELS = df.Each(df.TEXT)

RULE = df.Table("a rule", {
    "when": df.req(df.Table("a rule's when", {
        "start_method": df.opt(df.OneOf("start method", ALL_METHODS)),
        "platform": df.opt(df.OneOf("platform", ("linux", "darwin", "win32"))),
        "python": df.opt(df.Specifier()),
    })),
    "value": df.req(df.Anything()),
    "source": df.req(df.TEXT),
})

# Facts `mplab check` reads from a program's source (lab/diagnose.py), for a symptom whose output
# alone cannot tell it apart: changed values print as mere differing lines.
SOURCE_FACTS = ("no_main_guard", "global_rebound_under_main_guard", "module_level_lock")

SYMPTOM = df.Table("a symptom", {
    "stream": df.opt(df.OneOf("stream", ("stderr", "stdout", "any"))),
    "pattern": df.req(df.Regex()),
    "methods": df.opt(df.ListOf(df.OneOf("start method", ALL_METHODS))),
    "source_fact": df.opt(df.OneOf("source fact", SOURCE_FACTS)),
    "diagnosis": df.req(df.TEXT),
    "advice": df.req(df.TEXT),
})

SCHEMA = df.Table("a behavior", {
    "id": df.req(df.Matching(r"L\d\d[a-z]?", "an id like L07 or L07b")),
    "topic": df.req(df.TEXT),
    "gloss": df.req(df.TEXT),
    "quote": df.opt(df.TEXT),
    "verdict": df.req(df.OneOf("verdict", VERDICT_NAMES)),
    "conditions": df.opt(df.TEXT),
    "reason": df.req(df.TEXT),
    "sources": df.req(df.ListOf(SOURCE, min_length=1)),
    "expect": df.opt(df.Each(df.Table("an expectation", {
        "description": df.req(df.TEXT),
        "labels": df.opt(LABELS),
        "rules": df.req(df.ListOf(RULE, min_length=1)),
    }))),
    "symptoms": df.opt(df.ListOf(SYMPTOM)),
})


@dataclass(frozen=True)
class Symptom:
    """What a program's run shows when it trips over a behavior: ``mplab check``'s diagnosis.

    ``pattern`` is searched in what differs from the reference run on ``stream``; with a
    ``source_fact``, the program's source must show that fact too (lab/diagnose.py)."""

    claim: str
    stream: str
    pattern: str
    methods: tuple[str, ...]
    diagnosis: str
    advice: str
    source_fact: str | None = None


@dataclass(frozen=True)
class Behavior:
    name: str  # the file's stem: the probe's and the spec file's name too
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        return tuple(Symptom(self.id, s.get("stream", "any"), s["pattern"],
                             tuple(s.get("methods", ALL_METHODS)), s["diagnosis"], s["advice"],
                             s.get("source_fact"))
                     for s in self.data.get("symptoms", []))


def load_behaviors(folder: Path) -> dict[str, Behavior]:
    """Every behavior file in ``folder``, checked, by claim id; a DataError names a bad line."""
    found: dict[str, Behavior] = {}
    for path in sorted(folder.glob("*.toml")):
        doc = df.read(path, SCHEMA)
        behavior = Behavior(path.stem, path, doc.data)
        if behavior.id in found:
            raise DataError(f"{doc.name}:1: id {behavior.id} is taken by "
                               f"{found[behavior.id].path.name}: pick another")
        found[behavior.id] = behavior
    return found


@cache
def behaviors() -> dict[str, Behavior]:
    return load_behaviors(BEHAVIORS_DIR)


def symptoms() -> list[Symptom]:
    return [s for b in behaviors().values() for s in b.symptoms]
