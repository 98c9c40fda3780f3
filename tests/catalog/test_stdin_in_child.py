"""Specs of L18: sys.stdin in a child (lab/data/behaviors/stdin_in_child.toml)."""
import sys

import pytest

from lab.expectations import expected


@pytest.mark.claim("L18")
def test_stdin_in_child_reads_nothing(probe, spec, start_method):
    obs = probe("stdin_in_child", start_method)
    assert obs.one("parent_stdin_is").value == "a pipe"
    spec.check(obs.one("read").value, expected("stdin_in_child_read", start_method=start_method))


@pytest.mark.claim("L18")
def test_stdin_in_child_is_open_on_devnull(probe, spec, start_method):
    obs = probe("stdin_in_child", start_method)
    assert obs.one("closed").value is False
    spec.check(obs.one("stdin_is").value, expected("stdin_in_child_is", start_method=start_method))


@pytest.mark.claim("L18")
def test_stdin_in_child_is_not_descriptor_0(probe, spec, start_method):
    obs = probe("stdin_in_child", start_method)
    spec.check(obs.one("fileno_is_0").value, False,
               labels={True: "sys.stdin.fileno() is 0", False: "sys.stdin.fileno() is not 0"})


@pytest.mark.claim("L18")
@pytest.mark.skipif(sys.platform == "win32", reason="descriptor 0 of a Windows child is not "
                    "inherited from the parent (CreateProcess without handle inheritance)")
def test_descriptor_0_still_reads_the_parents_input(probe, spec, start_method):
    obs = probe("stdin_in_child", start_method)
    spec.check(obs.one("fd0_read").value, expected("stdin_in_child_fd0", start_method=start_method))
