"""The page's examples, from lab/data/examples.toml: where each lives and what it should print."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lab.datafiles import load
from lab.errors import LabError

EXAMPLES_DIR = Path(__file__).parent / "examples"
PROBES_DIR = Path(__file__).parent / "probes"


@dataclass(frozen=True)
class OrderChain:
    """Line numbers (from 1) of the expected output that must appear in this order."""

    lines: tuple[int, ...]
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


@cache
def examples() -> dict[str, Example]:
    table = load("examples.toml")["examples"]
    result = {}
    for name, entry in table.items():
        page = _nonblank_lines(entry.get("page_output", ""))
        result[name] = Example(
            name=name,
            section=entry["section"],
            path=EXAMPLES_DIR / entry["file"],
            kind=entry["kind"],
            multiprocessing=entry["multiprocessing"],
            page_output=page,
            expected_output=_nonblank_lines(entry.get("expected_output", "")) or page,
            normalize=tuple((p, r) for p, r in entry.get("normalize", [])),
            order=tuple(
                OrderChain(tuple(c["lines"]), c["across_processes"], c["why"])
                for c in entry.get("order", [])
            ),
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


def probe(name: str) -> Path:
    """A lab-written program under lab/probes/ that checks a claim the page's code cannot show."""
    path = PROBES_DIR / f"{name}.py"
    if not path.is_file():
        raise LabError(f"unknown probe {name!r}: no file {path}")
    return path
