"""Comparing an example's output with the page's, up to pids, random draws and free ordering.

Two outputs agree when, after normalizing, they hold the same lines (as a multiset) and the
actual output keeps every order chain that the example's data declares. A chain names lines by
their text in the expected output; it is normalized like the rest, then must be a subsequence.
Lines no chain ties together may come in any order: nothing in the program orders them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lab.catalog import Example


def normalize(lines: list[str] | tuple[str, ...], rules: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for line in lines:
        for pattern, replacement in rules:
            line = re.sub(pattern, replacement, line)
        out.append(line.rstrip())
    return out


@dataclass
class Comparison:
    expected: list[str]  # normalized
    actual: list[str]  # normalized
    missing: list[str] = field(default_factory=list)  # expected lines the run did not print
    unexpected: list[str] = field(default_factory=list)  # printed lines not expected
    broken_chains: list[str] = field(default_factory=list)  # order chains the run broke

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.broken_chains)

    def explain(self) -> str:
        parts = []
        if self.missing:
            parts.append("missing: " + "; ".join(self.missing))
        if self.unexpected:
            parts.append("unexpected: " + "; ".join(self.unexpected))
        if self.broken_chains:
            parts.append("out of order: " + "; ".join(self.broken_chains))
        return " | ".join(parts) or "same lines, in an order the program allows"


def compare(
    example: Example,
    actual_lines: list[str],
    *,
    expected: tuple[str, ...] | None = None,
    across_processes: bool = True,
) -> Comparison:
    """Compare printed lines with the example's expected output (or ``expected``).

    ``across_processes=False`` drops the chains that need line-buffered output: use it for runs
    whose stdout was a pipe.
    """
    want = normalize(expected if expected is not None else example.expected_output,
                     example.normalize)
    got = normalize(actual_lines, example.normalize)
    result = Comparison(expected=want, actual=got)
    want_count, got_count = Counter(want), Counter(got)
    result.missing = sorted((want_count - got_count).elements())
    result.unexpected = sorted((got_count - want_count).elements())
    if result.missing or result.unexpected:
        return result
    for chain in example.order:
        if chain.across_processes and not across_processes:
            continue
        wanted = normalize(chain.lines, example.normalize)
        if not _keeps_order(got, wanted):
            result.broken_chains.append(f"{' < '.join(wanted)} ({chain.why})")
    return result


def _keeps_order(lines: list[str], chain: list[str]) -> bool:
    """True when ``chain`` is a subsequence of ``lines`` (equal lines match in turn)."""
    pos = 0
    for wanted in chain:
        try:
            pos = lines.index(wanted, pos) + 1
        except ValueError:
            return False
    return True
