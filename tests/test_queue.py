"""Specs of the page's 进程间通信 section: two processes and a Queue."""

from __future__ import annotations

import ast

import pytest

from lab import catalog
from lab.compare import compare


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.claim("E-queue-time")
def test_page_code_uses_time_without_importing_it(spec):
    source = catalog.get("queue_pair").path
    uses_time = "time.sleep(" in source.read_text(encoding="utf-8")
    spec.check([uses_time, "time" in imported_modules(source)], [True, False],
               labels=[([True, False], "time not imported"), ([True, True], "time imported")])


@pytest.mark.claim("E-queue-time")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
def test_as_printed_each_task_fails_after_one_item(output_check, start_method, stdout):
    output_check("queue_pair", start_method, stdout)


@pytest.mark.claim("E-queue-time")
def test_as_printed_cannot_print_the_pages_output(observe, spec, start_method):
    example = catalog.get("queue_pair")
    obs = observe("queue_pair", start_method, "terminal")
    result = compare(example, obs.stdout, expected=example.page_output)
    spec.check(result.ok, False, labels={True: "page's output", False: "NameError: time"})


@pytest.mark.claim("C22")
def test_reader_gets_every_item_in_order(observe, spec, start_method):
    obs = observe("queue_pair_fixed", start_method)
    read = [line for line in obs.stdout if line.startswith("read, ")]
    in_order = " in order" if read == sorted(read) else ""
    spec.check(read, ["read, 1", "read, 2", "read, 3", "read, 4"],
               labels=[(read, f"{len(read)} items{in_order}")])


@pytest.mark.claim("C23")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
def test_corrected_output_matches_the_page(output_check, start_method, stdout):
    output_check("queue_pair_fixed", start_method, stdout)


@pytest.mark.claim("C21")
def test_two_processes_talk_through_a_pipe(probe, spec, start_method):
    obs = probe("pipe_pair", start_method)
    spec.check(obs.one("received").value, ["hello from", True],
               labels=[(["hello from", True], "message received")])
