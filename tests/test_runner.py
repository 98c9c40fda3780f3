"""Specs of the runner itself: timeouts, crashes, the environment it builds, and bad input."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys

import psutil
import pytest
from hanging import until_ready

from lab import catalog, ccompiler, runner
from lab.errors import LabError
from lab.runner import Settings


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.fixture(scope="module")
def hung():
    method = "spawn"  # spawn registers the queue's semaphores with the resource tracker
    obs, _ = until_ready(
        lambda timeout: runner.run_probe("hang", Settings(start_method=method, timeout=timeout)),
        ready=lambda obs: bool(obs.values("started")) and len(obs.values("child_waiting")) == 2)
    return obs


def test_timeout_is_recorded_with_the_output_so_far(hung):
    assert (hung.outcome, hung.exit_code, hung.stdout) == ("timeout", None, ["started"])


def test_timeout_kills_the_whole_tree(hung):
    children = {r.pid for r in hung.values("child_waiting")}
    assert len(children) == 2
    assert {hung.root_pid} | children <= set(hung.killed)
    assert all(gone(pid) for pid in hung.killed)


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="only Linux shows semaphores in /dev/shm")
def test_timeout_leaves_no_semaphore_behind(hung):
    names = hung.one("semaphores").value
    assert names and all(names)
    assert [n for n in names if os.path.exists("/dev/shm/sem." + n.lstrip("/"))] == []


def test_crash_is_recorded_with_its_traceback():
    obs = runner.run_probe("crash", Settings())
    assert (obs.outcome, obs.exit_code, obs.stdout) == ("crashed", 1, ["about to fail"])
    assert obs.stderr[-1] == "RuntimeError: this probe fails on purpose"
    assert "exited with code 1" in obs.summary()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os_fork needs fork(), which Windows lacks")
def test_no_zombie_children_after_runs():
    runner.run(catalog.get("os_fork"), Settings())
    zombies = [c.pid for c in psutil.Process().children() if gone(c.pid)]
    assert zombies == []


@pytest.mark.parametrize(("mode", "line_buffering"), [("pipe", False), ("terminal", True)])
def test_runner_sets_buffering_itself(monkeypatch, mode, line_buffering):
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")  # as on machines that export it
    obs = runner.run_probe("env_report", Settings(stdout=mode))
    env = obs.one("env").value
    assert (env["PYTHONUNBUFFERED"], env["line_buffering"], env["write_through"]) == (
        None, line_buffering, False)
    assert env["encoding"].lower().replace("-", "") == "utf8"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(start_method="threads"), "unknown start method 'threads'"),
        (Settings(stdout="tty"), "unknown stdout mode 'tty'"),
        (Settings(time_scale=-1), "bad time scale -1"),
        (Settings(time_scale=float("nan")), "bad time scale nan"),
        (Settings(timeout=0), "bad timeout 0"),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(LabError, match=message):
        runner.run(catalog.get("process_join"), settings)


@pytest.mark.skipif("fork" in __import__("multiprocessing").get_all_start_methods(),
                    reason="only a platform without fork (Windows) can refuse it")
def test_unavailable_start_method_is_refused():
    with pytest.raises(LabError, match="not available on Windows"):
        runner.run(catalog.get("process_join"), Settings(start_method="fork"))


def test_unknown_example_is_refused():
    with pytest.raises(LabError, match="unknown example 'nope': choose one of"):
        catalog.get("nope")


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no fork(), so no C example")
def test_missing_c_compiler_is_explained(monkeypatch):
    monkeypatch.setenv("CC", "no-such-compiler-here")
    with pytest.raises(LabError, match="no C compiler found"):
        ccompiler.compile_c(catalog.get("fork_c").path)


def test_interpreter_info_describes_this_python():
    info = runner.interpreter_info(sys.executable)
    assert info["version"].startswith("{}.{}.".format(*sys.version_info[:2]))
    assert info["default_method"] in info["methods"]


@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_a_program_starts_with_sigint_as_in_a_terminal(start_method):
    # Started by a lab that inherited SIGINT ignored (a background job of a non-interactive
    # shell), a program still starts as a terminal would start it, and its children inherit
    # what it sets itself (the probe ignores SIGINT before its first child).
    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start_method} here")
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        obs = runner.run_probe("signal_inheritance", Settings(start_method=start_method))
    finally:
        signal.signal(signal.SIGINT, before)
    assert obs.one("parent_sigint_at_start").value == "default_int_handler (KeyboardInterrupt)"
    # A child inherits SIG_IGN through fork and exec; a Windows child starts with the C
    # runtime's defaults, where Python installs its own handler (L22's data says so).
    inherited = "default_int_handler (KeyboardInterrupt)" if sys.platform == "win32" else "SIG_IGN"
    assert obs.one("first_sigint").value == inherited
