"""Specs of the page's introduction and summary (小结)."""

from __future__ import annotations

import pytest


@pytest.mark.claim("C25")
def test_processes_can_share_memory_through_multiprocessing(probe, spec, start_method):
    # The summary says processes "cannot share information directly"; multiprocessing.Value is
    # memory both processes map. The intro's own list of IPC methods names shared memory.
    obs = probe("shared_memory", start_method)
    value = obs.one("value_after_child").value
    spec.check(value, 42, labels={value: f"parent reads {value}"})


@pytest.mark.claim("C24")
def test_one_program_can_run_as_several_processes(observe, spec, start_method):
    obs = observe("pool", start_method)
    processes = len({r.pid for r in obs.records})
    spec.check(processes >= 2, True, labels={processes >= 2: f"{processes} processes"})


PAGE_PY2_LINES = [
    "print 'Parent process %s.' % os.getpid()",
    "print 'I am child process (%s) and my parent is (%s).' % (os.getpid(), os.getppid())",
    'print "write, %d" % n',
]


@pytest.mark.claim("E-py2")
@pytest.mark.parametrize("line", PAGE_PY2_LINES)
def test_page_print_statements_are_python_2(spec, line):
    try:
        compile(line, "<page>", "exec")
        spec.check("compiles", "SyntaxError")
    except SyntaxError:
        spec.check("SyntaxError", "SyntaxError")
