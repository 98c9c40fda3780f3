"""Specs of L20: atexit handlers and child processes (lab/data/behaviors/exit_handlers.toml)."""
import pytest

from lab.expectations import expected
from lab.runner import Observation


def ran_in_child(obs: Observation, which: str) -> str:
    child = obs.one("child").value["pid"]
    ran = {r.value for r in obs.values("atexit_ran") if r.pid == child}
    return "runs in the child" if which in ran else "does not run"


def where_it_ran(obs: Observation, which: str) -> str:
    pids = obs.one("child").value
    names = {obs.root_pid: "the parent", pids["pid"]: "the child",
             pids["fork_server"]: "the fork server"}
    order = ["the parent", "the child", "the fork server", "another process"]
    places = {names.get(r.pid, "another process") for r in obs.values("atexit_ran")
              if r.value == which}
    return ", ".join(sorted(places, key=order.index))


@pytest.mark.claim("L20")
def test_handler_registered_in_the_child(probe, spec, start_method):
    obs = probe("exit_handlers", start_method)
    assert obs.one("child_started").value is True
    spec.check(ran_in_child(obs, "registered in the child"),
               expected("exit_handlers_own", start_method=start_method))


@pytest.mark.claim("L20")
def test_handler_registered_by_the_parent(probe, spec, start_method):
    obs = probe("exit_handlers", start_method)
    spec.check(ran_in_child(obs, "registered by the parent before start()"),
               expected("exit_handlers_parents", start_method=start_method))


@pytest.mark.claim("L20")
def test_handler_registered_at_module_level(probe, spec, start_method):
    obs = probe("exit_handlers", start_method)
    spec.check(where_it_ran(obs, "module level"),
               expected("exit_handlers_module_level", start_method=start_method))
