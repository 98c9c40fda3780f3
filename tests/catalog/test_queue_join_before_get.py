"""Specs of L22: join() before draining a Queue (lab/data/behaviors/queue_join_before_get.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L22")
def test_large_item_keeps_the_child_alive_until_read(probe, spec, start_method):
    obs = probe("queue_join_before_get", start_method)
    spec.check([obs.one("large_item_join_before_get").value,
                obs.one("large_item_join_after_get").value,
                obs.one("large_item_bytes_received").value],
               expected("queue_join_large_item", start_method=start_method))


@pytest.mark.claim("L22")
def test_small_item_fits_in_the_pipe(probe, spec, start_method):
    obs = probe("queue_join_before_get", start_method)
    spec.check([obs.one("small_item_join_before_get").value,
                obs.one("small_item_bytes_received").value],
               expected("queue_join_small_item", start_method=start_method))
