"""The page's examples, from lab/data/examples.toml: where each lives and what it should print."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lab import datafiles as df
from lab.errors import LabError

EXAMPLES_DIR = Path(__file__).parent / "examples"
PROBES_DIR = Path(__file__).parent / "probes"
EXAMPLES_TOML = df.DATA_DIR / "examples.toml"


@dataclass(frozen=True)
class OrderChain:
    """Lines of the expected output, named by their text, that must appear in this order.

    Text rather than line numbers: a chain keeps its meaning when the expected output is
    edited, and reads as what it says.
    """

    lines: tuple[str, ...]
    across_processes: bool
    why: str


@dataclass(frozen=True)
class Example:
    name: str
    section: str
    path: Path
    kind: str  # "python" or "c"
    multiprocessing: bool
    page_output: tuple[str, ...]  # empty when the page shows none for this program
    expected_output: tuple[str, ...]
    normalize: tuple[tuple[str, str], ...]
    order: tuple[OrderChain, ...]
    variant_of: str | None = None
    erratum: str | None = None

    @property
    def reproduces_page(self) -> bool:
        """True when the lab expects this program to print what the page shows."""
        return bool(self.page_output) and self.page_output == self.expected_output


def _nonblank_lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.strip("\n").split("\n") if line) if text else ()


def _one_form(relation: dict[str, Any], where: df.Where, doc: df.Document) -> None:
    if ("lines" in relation) == ("before" in relation or "after" in relation):
        raise doc.error(where, f"{df.dotted(where)} must have either `lines` (a chain) or both "
                               "`before` and `after`")
    if "lines" not in relation and not ("before" in relation and "after" in relation):
        raise doc.error(where, f"{df.dotted(where)} has `before` or `after` without the other")


LINE_TEXTS = df.ListOf(df.TEXT, min_length=1)

SCHEMA = df.Table("examples.toml", {
    "examples": df.req(df.Each(df.Table("an example", {
        "section": df.req(df.TEXT),
        "file": df.req(df.TEXT),
        "kind": df.req(df.OneOf("kind", ("python", "c"))),
        "multiprocessing": df.req(df.BOOL),
        "variant_of": df.opt(df.TEXT),
        "erratum": df.opt(df.TEXT),
        "page_output": df.opt(df.TEXT),
        "expected_output": df.opt(df.TEXT),
        "normalize": df.req(df.ListOf(df.ListOf(df.Anything(), length=2))),
        "order": df.req(df.ListOf(df.Table("an order relation", {
            "lines": df.opt(df.ListOf(df.TEXT, min_length=2)),
            "before": df.opt(LINE_TEXTS),
            "after": df.opt(LINE_TEXTS),
            "across_processes": df.req(df.BOOL),
            "why": df.req(df.TEXT),
        }, check_after=_one_form))),
    }))),
})


def _check_example(name: str, entry: dict[str, Any], doc: df.Document) -> None:
    """What the schema cannot say alone: files exist, names resolve, chains name real lines."""
    where: df.Where = ("examples", name)
    if not (EXAMPLES_DIR / entry["file"]).is_file():
        raise doc.error((*where, "file"), f"no program {entry['file']!r} under {EXAMPLES_DIR}")
    if entry.get("variant_of") is not None and entry["variant_of"] not in doc.data["examples"]:
        raise doc.error((*where, "variant_of"), f"variant_of names no example: "
                                                f"{entry['variant_of']!r}")
    if not (entry.get("expected_output") or entry.get("page_output")):
        raise doc.error(where, f"example {name!r} has neither page_output nor expected_output")
    for i, pair in enumerate(entry["normalize"]):
        df.Regex().check(pair[0], (*where, "normalize", i, 0), doc)
        df.TEXT.check(pair[1], (*where, "normalize", i, 1), doc)
    expected = Counter(_nonblank_lines(entry.get("expected_output", "")) or
                       _nonblank_lines(entry.get("page_output", "")))
    for i, relation in enumerate(entry["order"]):
        for key in ("lines", "before", "after"):
            named = Counter(relation.get(key, []))
            for j, text in enumerate(relation.get(key, [])):
                if text not in expected:
                    raise doc.error((*where, "order", i, key, j),
                                    f"{text!r} is not a line of {name}'s expected output "
                                    "(name a line by its text, exactly as written there)")
                if named[text] > expected[text]:
                    raise doc.error((*where, "order", i, key, j),
                                    f"{text!r} is named {named[text]} times but the expected "
                                    f"output has it {expected[text]} time(s)")


def _chains(relation: dict[str, Any]) -> tuple[OrderChain, ...]:
    """A relation as chains: a `before`/`after` one as every (before, after) pair."""
    across, why = relation["across_processes"], relation["why"]
    if "lines" in relation:
        return (OrderChain(tuple(relation["lines"]), across, why),)
    return tuple(OrderChain((b, a), across, why)
                 for b in relation["before"] for a in relation["after"])


@cache
def examples() -> dict[str, Example]:
    return load_examples(EXAMPLES_TOML)


def load_examples(path: Path) -> dict[str, Example]:
    """The examples of an examples.toml, checked: a DataError names a bad line."""
    doc = df.read(path, SCHEMA)
    result = {}
    for name, entry in doc.data["examples"].items():
        _check_example(name, entry, doc)
        page = _nonblank_lines(entry.get("page_output", ""))
        result[name] = Example(
            name=name,
            section=entry["section"],
            path=EXAMPLES_DIR / entry["file"],
            kind=entry["kind"],
            multiprocessing=entry["multiprocessing"],
            page_output=page,
            expected_output=_nonblank_lines(entry.get("expected_output", "")) or page,
            normalize=tuple((p, r) for p, r in entry["normalize"]),
            order=tuple(chain for relation in entry["order"] for chain in _chains(relation)),
            variant_of=entry.get("variant_of"),
            erratum=entry.get("erratum"),
        )
    return result


def get(name: str) -> Example:
    """The example called ``name``, or a LabError that lists the known names."""
    try:
        return examples()[name]
    except KeyError:
        raise LabError(
            f"unknown example {name!r}: choose one of {', '.join(examples())} "
            "(`mplab list` describes them)"
        ) from None


_PROBE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def probes() -> list[str]:
    """The names of the probes under lab/probes/ (a leading underscore marks a helper)."""
    return sorted(p.stem for p in PROBES_DIR.glob("*.py") if _PROBE_NAME.fullmatch(p.stem))


def probe(name: str) -> Path:
    """A lab-written program under lab/probes/ that checks a claim the page's code cannot show.

    Only a probe's bare name: not a path, not a helper, so ``probe:`` cannot run other files.
    """
    if not _PROBE_NAME.fullmatch(name) or name not in probes():
        raise LabError(f"unknown probe {name!r}: choose one of {', '.join(probes())}")
    return PROBES_DIR / f"{name}.py"
