"""Specs of L09: a Lock sent through a Queue or as a Pool task's argument, and the Manager's Lock
that can be (lab/data/behaviors/lock_through_queue.toml)."""

import pytest

from lab.expectations import expected

REFUSAL = "RuntimeError: Lock objects should only be shared between processes through inheritance"


@pytest.mark.claim("L09")
@pytest.mark.parametrize("how", ["via_queue", "as_pool_argument"])
@pytest.mark.parametrize("lock", ["lock", "manager_lock"])
def test_lock_sent_to_another_process(probe, spec, start_method, lock, how):
    obs = probe("lock_through_queue", start_method)
    want = {
        "lock_via_queue": expected("lock_through_queue_lock_via_queue",
                                   start_method=start_method),
        "lock_as_pool_argument": expected("lock_through_queue_lock_as_pool_argument",
                                          start_method=start_method),
        "manager_lock_via_queue": expected("lock_through_queue_manager_lock_via_queue",
                                           start_method=start_method),
        "manager_lock_as_pool_argument": expected(
            "lock_through_queue_manager_lock_as_pool_argument", start_method=start_method),
    }
    spec.check(obs.one(f"{lock}_{how}").value, want[f"{lock}_{how}"])


@pytest.mark.claim("L09")
def test_queue_put_of_a_lock_reports_only_on_stderr(probe, spec, start_method):
    # put() returned (the probe went on); the refusal is the feeder thread's traceback.
    obs = probe("lock_through_queue", start_method)
    printed = any(line.strip() == REFUSAL for line in obs.stderr)
    spec.check(printed, expected("lock_through_queue_feeder_prints", start_method=start_method))
