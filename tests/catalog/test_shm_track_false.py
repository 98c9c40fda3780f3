"""Specs of L24b: SharedMemory(track=False), 3.13+ (lab/data/behaviors/shm_track_false.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L24b")
def test_track_keyword(probe, spec, start_method):
    obs = probe("shm_track_false", start_method)
    assert obs.one("unrelated_process_exitcode").value == 0
    spec.check(obs.one("attach_with_track_false").value,
               expected("shm_track_false_attach", start_method=start_method))


@pytest.mark.claim("L24b")
def test_untracked_attach_neither_unlinks_nor_warns(probe, spec, start_method):
    obs = probe("shm_track_false", start_method)
    spec.check([obs.one("after_unrelated_process").value, obs.one("byte_written").value,
                obs.one("unrelated_process_warning").value],
               expected("shm_track_false_outcome", start_method=start_method))
