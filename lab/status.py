"""The status of a spec, a cell or a claim: one type for results files, the merge and each view.

A results file's ``outcome`` is a status's value (all but ``conflict``, which only a merge of
several runs can find). Each status carries how each view shows it (a glyph for the terminal and
Markdown, a word for the HTML, where an emoji font may be missing), its rank for "the worst of",
its colours, and the phrase the legends say, so that no view keeps a spelling of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Status(enum.Enum):
    """From worst (``conflict``) to least (``not run``): see :attr:`rank`."""

    # value, glyph, HTML label, rank, cell style, mark style, legend phrase
    CONFLICT = ("conflict", "⚠️", "DIFFER", 6,
                "background: #ffe2b8; outline: 2px solid #bc4c00; font-weight: 600;",
                "background: #fb8f44;", "runs disagree")
    FAILED = ("failed", "❌", "FAIL", 5, "background: #ffd8d3; font-weight: 600;",
              "background: #ff8182;", "the lab's expectation did not hold")
    ERROR = ("error", "💥", "ERROR", 4, "background: #ffd8d3; font-weight: 600;",
             "background: #ff8182;", "the spec itself broke")
    TIMEOUT = ("timeout", "⏱️", "TIMEOUT", 3, "background: #fff1c2; font-weight: 600;",
               "background: #eac54f;", "an example never ended")
    PASSED = ("passed", "✅", "pass", 2, "background: #dafbe1;", "background: #aceebb;",
              "the lab's expectation held (for a claim marked wrong: the page is wrong, "
              "as expected)")
    SKIPPED = ("skipped", "➖", "skip", 1, "background: #f6f8fa; color: #57606a;",
               "background: #eaeef2; color: #57606a;",
               "does not apply here (the HTML gives the reason)")
    NOT_RUN = ("not run", "·", "not run", 0, "background: #fff; color: #8c959f;",
               "background: #eaeef2; color: #57606a;", "no results for that platform and Python")

    def __new__(cls, value: str, *_: object) -> Status:
        member = object.__new__(cls)
        member._value_ = value  # the results files' spelling: Status("passed") is PASSED
        return member

    def __init__(self, value: str, glyph: str, label: str, rank: int, style: str,
                 mark_style: str, phrase: str) -> None:
        self.glyph = glyph
        self.label = label  # a word: the HTML must not depend on an emoji font
        self.rank = rank
        self.style = style  # CSS declarations for a table cell of this status
        self.mark_style = mark_style  # ... and for one start method's mark inside a cell
        self.phrase = phrase

    @property
    def css_class(self) -> str:
        return self.value.replace(" ", "")

    @property
    def in_results_files(self) -> bool:
        """Whether a results file may say it; a conflict exists only between files."""
        return self is not Status.CONFLICT

    def __str__(self) -> str:
        return self.value


def outcomes() -> list[str]:
    """The ``outcome`` values a results file may hold, as its JSON schema lists them."""
    return [s.value for s in Status if s.in_results_files]


def worst(statuses: Iterable[Status]) -> Status:
    """The status of the highest rank; ``not run`` when there is none."""
    return max(statuses, key=lambda s: s.rank, default=Status.NOT_RUN)


def legend(words: bool = False) -> str:
    """Every status with its phrase: by glyph (terminal, Markdown) or, with ``words``, by label
    (HTML). The thin ``·`` of not run is set as code, so that it can be seen."""

    def name(status: Status) -> str:
        if words:
            return f"{status.label}:"
        return f"`{status.glyph}`" if status is Status.NOT_RUN else status.glyph

    order = [Status.PASSED, Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.SKIPPED,
             Status.CONFLICT, Status.NOT_RUN]
    return " · ".join(f"{name(s)} {s.phrase}" for s in order)
