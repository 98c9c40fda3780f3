"""Specs of L16: the parent's os.environ, working folder, sys.path and sys.argv as a child sees
them, changed before and after the first child (lab/data/behaviors/parent_state_changes.toml)."""
import pytest

from lab.expectations import expected

BEFORE_ONLY = "sees the change made before the first child only"


@pytest.mark.claim("L16")
@pytest.mark.parametrize("thing", ["environ", "sys_path", "sys_argv"])
def test_first_child_sees_changes_made_before_it(probe, spec, start_method, thing):
    obs = probe("parent_state_changes", start_method)
    spec.check(obs.one("first_" + thing).value, BEFORE_ONLY)


@pytest.mark.claim("L16")
def test_first_child_runs_in_the_parents_folder(probe, spec, start_method):
    obs = probe("parent_state_changes", start_method)
    spec.check(obs.one("first_cwd").value, "the folder set before the first child")


@pytest.mark.claim("L16")
@pytest.mark.parametrize(("thing", "expectation"), [
    ("environ", "parent_state_changes_environ"), ("cwd", "parent_state_changes_cwd"),
    ("sys_path", "parent_state_changes_sys_path"), ("sys_argv", "parent_state_changes_sys_argv"),
], ids=["environ", "cwd", "sys_path", "sys_argv"])
def test_second_child_after_the_fork_server_started(probe, spec, start_method, thing,
                                                     expectation):
    obs = probe("parent_state_changes", start_method)
    spec.check(obs.one("second_" + thing).value,
               expected(expectation, start_method=start_method))


@pytest.mark.claim("L16")
def test_main_module_argv_for_the_first_child(probe, spec, start_method):
    obs = probe("parent_state_changes", start_method)
    spec.check(obs.one("first_module_argv").value,
               expected("parent_state_changes_first_module_argv", start_method=start_method))


@pytest.mark.claim("L16")
def test_main_module_argv_for_the_second_child(probe, spec, start_method):
    obs = probe("parent_state_changes", start_method)
    spec.check(obs.one("second_module_argv").value,
               expected("parent_state_changes_module_argv", start_method=start_method))
