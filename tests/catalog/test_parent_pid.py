"""Specs of L17: os.getppid() against multiprocessing.parent_process() in a child
(lab/data/behaviors/parent_pid.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L17")
def test_getppid_in_child(probe, spec, start_method):
    obs = probe("parent_pid", start_method)
    spec.check(obs.one("getppid").value, expected("parent_pid_getppid", start_method=start_method))


@pytest.mark.claim("L17")
def test_parent_process_in_child(probe, spec, start_method):
    obs = probe("parent_pid", start_method)
    spec.check(obs.one("parent_process_pid").value,
               expected("parent_pid_parent_process", start_method=start_method))
