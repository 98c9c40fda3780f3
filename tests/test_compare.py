"""The output comparison must fail when it should: every page-output spec rests on it."""

from __future__ import annotations

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
        norm = normalize(ex.expected_output, ex.normalize)
        for i, chain in enumerate(ex.order):
            if norm[chain.lines[0] - 1] != norm[chain.lines[-1] - 1]:
                yield pytest.param(name, i, id=f"{name}-chain{i}")


@pytest.mark.parametrize(("name", "index"), list(distinct_chains()))
def test_a_broken_order_is_caught(name, index):
    ex = catalog.get(name)
    chain = ex.order[index]
    lines = list(ex.expected_output)
    first, last = chain.lines[0] - 1, chain.lines[-1] - 1
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


def test_chains_point_at_real_lines():
    for ex in catalog.examples().values():
        for chain in ex.order:
            assert all(1 <= n <= len(ex.expected_output) for n in chain.lines), ex.name
            assert chain.why
