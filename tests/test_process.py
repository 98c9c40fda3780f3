"""Specs of the page's 多进程 section: Process(target=..., args=...), start() and join()."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("C07")
def test_process_runs_target_with_args_in_a_child(observe, spec, start_method):
    obs = observe("process_join", start_method)
    ran = obs.one("child_ran")
    started = obs.one("started")
    spec.check(
        {"arg": ran.value, "in the started process": ran.pid == started.value,
         "parent_process()": "the parent" if ran.mp_parent == obs.root_pid else ran.mp_parent},
        {"arg": "test", "in the started process": True, "parent_process()": "the parent"},
        labels=[({"arg": "test", "in the started process": True,
                  "parent_process()": "the parent"}, "ran target('test')")],
    )


@pytest.mark.claim("C07")
def test_which_process_getppid_names_in_the_child(observe, spec, start_method):
    # Under forkserver, the child's OS parent is the fork server, though multiprocessing's
    # parent_process() still names the process that called start().
    obs = observe("process_join", start_method)
    ran = obs.one("child_ran")
    observed = "the parent" if ran.ppid == obs.root_pid else (
        "the fork server" if ran.ppid not in obs.pids() else ran.ppid
    )
    spec.check(observed, expected("os_parent_of_child", start_method=start_method))


@pytest.mark.claim("C08")
def test_parent_continues_only_after_the_child_has_finished(observe, spec, start_method):
    # join() returned with an exit code: the child had ended. And its line precedes "Process end."
    # even with piped output, because the child flushes before it exits.
    obs = observe("process_join", start_method)
    spec.check(
        [obs.one("joined").value, obs.stdout.index("Process end.") > 1,
         obs.stdout[-1]],
        [0, True, "Process end."],
        labels=[([0, True, "Process end."], "waits for the child")],
    )


@pytest.mark.claim("C08")
def test_join_blocks_only_its_caller(probe, spec, start_method):
    obs = probe("join_blocks_caller", start_method)
    spec.check(
        [obs.one("b_saw_parent_entering_join").value, obs.one("a_released").value,
         obs.one("join_returned").value],
        [True, True, 0],
        labels=[([True, True, 0], "blocks only the caller")],
    )


@pytest.mark.claim("C09")
@pytest.mark.parametrize("stdout", ["pipe", "terminal"])
def test_output_matches_the_page(output_check, start_method, stdout):
    output_check("process_join", start_method, stdout)
