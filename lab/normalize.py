"""What legitimately varies between two runs of one program, masked before `mplab check` compares.

A process id, an object's address, a time taken and a temporary path change from run to run
whatever the start method, so they are replaced by a placeholder. Each rule is a regular
expression and its replacement, applied in turn to every line; the user adds their own with
``--ignore REGEX`` (each match becomes ``<ignored>``).

The rules are deliberately narrow: a pid is a number next to a word that names one ("pid",
"process id", "parent process", "ppid"), or a number equal to a pid the run is known to have
had. A number the program prints without such a word is compared as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lab.errors import LabError

# (name, pattern, replacement); order matters: addresses before numbers, paths before pids.
RULES: tuple[tuple[str, str, str], ...] = (
    ("address", r"\b0x[0-9a-fA-F]{4,}\b", "0x<addr>"),
    ("temporary path", r"(?:/private)?/(?:tmp|var/tmp|var/folders|dev/shm)(?:/[^\s'\":,)\]>]*)?",
     "<tmp>"),
    ("shared memory or semaphore name", r"\b(?:psm_|wnsm_|mp-)[0-9A-Za-z_]{4,}\b", "<shm>"),
    ("pid", r"(?i)\b(pids?|ppid|process[ _]id|parent[ _]process(?:[ _]id)?|parent|"
            r"process)(\s*(?:[:=#]|is|of)?\s*)\d{2,}\b", r"\1\2<pid>"),
    ("time taken", r"(?i)\b(took|elapsed|time|duration)(\s*[:=]?\s*)"
                   r"\d+(?:\.\d+)?(\s*(?:s|ms|us|µs|ns|sec|secs|seconds?|minutes?)\b)?",
     r"\1\2<time>\3"),
    ("duration", r"\b\d+\.\d+\s*(?:s|ms|us|µs|ns|sec|secs|seconds)\b", "<time>"),
    ("timestamp", r"\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?\b", "<timestamp>"),
)


@dataclass(frozen=True)
class Normalizer:
    """The built-in rules, the user's ``--ignore`` patterns and the run's known pids."""

    ignores: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for pattern in self.ignores:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise LabError(f"bad --ignore pattern {pattern!r}: {exc}") from None

    def line(self, text: str, pids: Iterable[int] = ()) -> str:
        for pattern in self.ignores:
            text = re.sub(pattern, "<ignored>", text)
        for _, pattern, replacement in RULES:
            text = re.sub(pattern, replacement, text)
        for pid in sorted({p for p in pids if p > 1}, reverse=True):
            text = re.sub(rf"(?<![\d.]){pid}(?![\d.])", "<pid>", text)
        return text.rstrip()

    def lines(self, lines: Iterable[str], pids: Iterable[int] = ()) -> list[str]:
        known = tuple(pids)
        return [self.line(text, known) for text in lines]
