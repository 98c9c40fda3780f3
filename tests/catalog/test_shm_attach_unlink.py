"""Specs of L24: SharedMemory and the resource tracker
(lab/data/behaviors/shm_attach_unlink.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L24")
def test_multiprocessing_child_leaves_the_segment(probe, spec, start_method):
    obs = probe("shm_attach_unlink", start_method)
    assert obs.one("child_exitcode").value == 0
    spec.check(obs.one("after_multiprocessing_child").value,
               expected("shm_after_multiprocessing_child", start_method=start_method))


@pytest.mark.claim("L24")
def test_unrelated_process_unlinks_the_segment(probe, spec, start_method):
    obs = probe("shm_attach_unlink", start_method)
    assert obs.one("unrelated_process_exitcode").value == 0
    # Both writes reached the parent's mapping: it was the same memory, then unlinked.
    assert obs.one("bytes_written").value == [1, 2]
    spec.check(obs.one("after_unrelated_process").value,
               expected("shm_after_unrelated_process", start_method=start_method))


@pytest.mark.claim("L24")
def test_unrelated_process_warns_of_a_leak(probe, spec, start_method):
    obs = probe("shm_attach_unlink", start_method)
    spec.check(obs.one("unrelated_process_warning").value,
               expected("shm_unrelated_process_warning", start_method=start_method))
