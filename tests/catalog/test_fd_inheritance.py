"""Specs of L14: the parent's file descriptors in a child
(lab/data/behaviors/fd_inheritance.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L14")
def test_non_inheritable_fd_in_child(probe, spec, start_method):
    obs = probe("fd_inheritance", start_method)
    assert obs.one("parent_non-inheritable").value is False  # PEP 446's default
    spec.check(obs.one("child_non-inheritable").value,
               expected("fd_inheritance_non_inheritable", start_method=start_method))


@pytest.mark.claim("L14")
def test_inheritable_fd_in_child(probe, spec, start_method):
    obs = probe("fd_inheritance", start_method)
    assert obs.one("parent_inheritable").value is True
    spec.check(obs.one("child_inheritable").value,
               expected("fd_inheritance_inheritable", start_method=start_method))
