"""Specs of the page's 进程池 section: Pool(4), five apply_async tasks, close() and join()."""

from __future__ import annotations

import pytest


@pytest.mark.claim("C15")
def test_pool_4_starts_four_worker_processes(observe, spec, start_method):
    obs = observe("pool", start_method)
    workers = obs.one("workers").value
    spec.check(len(set(workers)), 4, labels={len(set(workers)): f"{len(set(workers))} workers"})


@pytest.mark.claim("C15")
def test_tasks_run_in_the_pools_workers(observe, spec, start_method):
    obs = observe("pool", start_method)
    workers = set(obs.one("workers").value)
    tasks = obs.values("task")
    spec.check(
        [sorted(t.value for t in tasks), {t.pid for t in tasks} <= workers,
         all(t.mp_parent == obs.root_pid for t in tasks)],
        [[0, 1, 2, 3, 4], True, True],
        labels=[([[0, 1, 2, 3, 4], True, True], "5 tasks in workers")],
    )


@pytest.mark.claim("C19")
def test_five_tasks_on_four_workers_reuse_a_worker(observe, spec, start_method):
    # Pigeonhole: five tasks, at most four distinct pids. Which worker runs twice is up to the
    # scheduler; that one does is not.
    obs = observe("pool", start_method)
    pids = [t.pid for t in obs.values("task")]
    spec.check(len(pids) - len(set(pids)) >= 1, True,
               labels={True: "a worker reused", False: "no worker reused"})


@pytest.mark.claim("C16")
def test_apply_async_returns_before_the_task_ends(probe, spec, start_method):
    obs = probe("pool_async", start_method)
    spec.check(
        [obs.one("returned_before_task_done").value, obs.one("task_saw_event").value],
        [True, True],
        labels=[([True, True], "returns at once")],
    )


@pytest.mark.claim("C16")
def test_four_tasks_run_at_the_same_time(probe, spec, start_method):
    obs = probe("pool_async", start_method)
    at_once = len(set(obs.one("barrier_pids").value))
    spec.check(at_once, 4, labels={at_once: f"{at_once} at once"})


@pytest.mark.claim("C17")
def test_close_forbids_new_tasks_not_new_processes(probe, spec, start_method):
    obs = probe("pool_close_join", start_method)
    spec.check(
        [obs.one("apply_async_after_close").value, obs.one("task_submitted_before_close").value],
        [{"type": "ValueError", "message": "Pool not running"}, 9],
        labels=[([{"type": "ValueError", "message": "Pool not running"}, 9],
                 "ValueError: Pool not running")],
    )


@pytest.mark.claim("C18")
def test_join_needs_close_first(probe, spec, start_method):
    obs = probe("pool_close_join", start_method)
    spec.check(obs.one("join_before_close").value,
               {"type": "ValueError", "message": "Pool is still running"})


@pytest.mark.claim("C18")
def test_join_waits_for_every_task(observe, spec, start_method):
    obs = observe("pool", start_method)
    done = obs.stdout.index("All subprocesses done.")
    results = [i for i, line in enumerate(obs.stdout) if line.startswith("Task ")]
    spec.check([len(results), max(results) < done], [5, True],
               labels=[([5, True], "waits for 5 tasks")])


@pytest.mark.claim("C20")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
def test_output_matches_the_page(output_check, start_method, stdout):
    output_check("pool", start_method, stdout)


@pytest.mark.claim("C20")
def test_piped_output_holds_the_parents_waiting_line_to_the_end(observe, spec, start_method):
    # With a pipe, "Waiting for all subprocesses done..." sits in the parent's buffer until the
    # parent exits, after every worker has flushed at its own exit: unlike the page's terminal run.
    obs = observe("pool", start_method, "pipe")
    spec.check(obs.stdout[-2:], ["Waiting for all subprocesses done...", "All subprocesses done."],
               labels=[(["Waiting for all subprocesses done...", "All subprocesses done."],
                        "'Waiting' printed last")])
