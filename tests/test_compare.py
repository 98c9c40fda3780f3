"""The output comparison must fail when it should: every page-output spec rests on it."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from lab import catalog
from lab.compare import compare, normalize

REPRODUCING = [n for n, ex in catalog.examples().items() if ex.expected_output]


@pytest.mark.parametrize("name", REPRODUCING)
def test_expected_output_agrees_with_itself(name):
    ex = catalog.get(name)
    assert compare(ex, list(ex.expected_output)).ok


@pytest.mark.parametrize("name", REPRODUCING)
def test_a_missing_line_is_caught(name):
    ex = catalog.get(name)
    result = compare(ex, list(ex.expected_output[:-1]))
    assert not result.ok and result.missing


@pytest.mark.parametrize("name", REPRODUCING)
def test_an_extra_line_is_caught(name):
    ex = catalog.get(name)
    result = compare(ex, [*ex.expected_output, "Traceback (most recent call last):"])
    assert not result.ok and result.unexpected


def distinct_chains():
    for name in REPRODUCING:
        ex = catalog.get(name)
        for i, chain in enumerate(ex.order):
            first, last = normalize([chain.lines[0], chain.lines[-1]], ex.normalize)
            if first != last:
                yield pytest.param(name, i, id=f"{name}-chain{i}")


@pytest.mark.parametrize(("name", "index"), list(distinct_chains()))
def test_a_broken_order_is_caught(name, index):
    ex = catalog.get(name)
    chain = ex.order[index]
    lines = list(ex.expected_output)
    first, last = lines.index(chain.lines[0]), lines.index(chain.lines[-1])
    lines[first], lines[last] = lines[last], lines[first]
    assert compare(ex, lines).broken_chains


def test_pipe_mode_ignores_only_cross_process_chains():
    ex = catalog.get("queue_pair_fixed")
    # the reader's whole block before the writer's: fine with a pipe, not with a terminal
    lines = ex.expected_output
    piped = [x for x in lines if x.startswith("read")] + [
        x for x in lines if x.startswith("write")] + ["DONE"]
    assert compare(ex, piped, across_processes=False).ok
    assert not compare(ex, piped, across_processes=True).ok


def test_pids_and_random_values_are_normalized():
    ex = catalog.get("random_state")
    assert compare(ex, ["pid:1, num is 7", "pid:99999, num is 100"]).ok
    assert not compare(ex, ["pid:1, num is 7", "pid:2, num was 7"]).ok


def test_chains_name_real_lines():
    for ex in catalog.examples().values():
        for chain in ex.order:
            assert set(chain.lines) <= set(ex.expected_output), ex.name
            assert chain.why


# --- the move from line numbers to line texts changed no ordering -------------------------------

# The order chains as they were written before relations named lines by their text: 1-based line
# numbers into each example's expected output, with across_processes. This pins that migration:
# if an expected output is ever edited, these numbers no longer describe it and this literal
# (with the two specs below) should be deleted rather than renumbered.
LINE_NUMBER_CHAINS: dict[str, list[tuple[tuple[int, ...], bool]]] = {
    "fork_c": [],
    "fork_c_waited": [],
    "os_fork": [],
    "os_fork_waited": [],
    "process_join": [((1, 2, 4), False), ((2, 3, 4), True)],
    "random_state": [((1, 2), True)],
    "pool": [
        ((1, 6, 13), False), ((2, 7), False), ((3, 8), False), ((4, 10), False),
        ((5, 11), False), ((9, 12), False), ((1, 2), True), ((1, 3), True), ((1, 4), True),
        ((1, 5), True), ((1, 9), True), ((7, 13), True), ((8, 13), True), ((10, 13), True),
        ((11, 13), True), ((12, 13), True),
    ],
    "queue_pair": [
        ((1, 2, 3), False), ((4, 5, 6), False), ((1, 4), True), ((3, 7), True), ((6, 7), True),
    ],
    "queue_pair_fixed": [
        ((1, 3, 5, 7, 9), False), ((2, 4, 6, 8, 10), False), ((1, 2), True), ((3, 4), True),
        ((5, 6), True), ((7, 8), True), ((9, 11), True), ((10, 11), True),
    ],
}


def line_number_verdict(ex: catalog.Example, lines: list[str], across: bool) -> tuple[bool, int]:
    """What the comparison said with line-number chains: (agrees, number of broken chains)."""
    want = normalize(ex.expected_output, ex.normalize)
    got = normalize(lines, ex.normalize)
    if Counter(want) != Counter(got):
        return False, 0
    broken = 0
    for numbers, across_processes in LINE_NUMBER_CHAINS[ex.name]:
        if across_processes and not across:
            continue
        pos, kept = 0, True
        for wanted in (want[n - 1] for n in numbers):
            if wanted not in got[pos:]:
                kept = False
                break
            pos = got.index(wanted, pos) + 1
        broken += not kept
    return broken == 0, broken


def test_every_example_is_pinned():
    assert set(LINE_NUMBER_CHAINS) == set(catalog.examples())


@pytest.mark.parametrize("name", list(LINE_NUMBER_CHAINS))
def test_relations_name_the_lines_the_numbers_named(name):
    # Exactly the same orderings: the same chains of (normalized) texts, as a multiset.
    ex = catalog.get(name)
    want = normalize(ex.expected_output, ex.normalize)
    before = Counter((tuple(want[n - 1] for n in numbers), across)
                     for numbers, across in LINE_NUMBER_CHAINS[name])
    after = Counter((tuple(normalize(c.lines, ex.normalize)), c.across_processes)
                    for c in ex.order)
    assert after == before


def swaps(lines: tuple[str, ...]):
    """The expected output itself, then every order with two of its lines swapped."""
    yield list(lines)
    for i, j in itertools.combinations(range(len(lines)), 2):
        swapped = list(lines)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        yield swapped


@pytest.mark.parametrize("name", list(LINE_NUMBER_CHAINS))
def test_same_verdicts_as_line_number_chains(name):
    ex = catalog.get(name)
    checked = 0
    for lines in swaps(ex.expected_output):
        for across in (True, False):
            result = compare(ex, lines, across_processes=across)
            assert (result.ok, len(result.broken_chains)) == line_number_verdict(
                ex, lines, across), (lines, across)
            checked += 1
    assert checked == 2 * (1 + len(ex.expected_output) * (len(ex.expected_output) - 1) // 2)
