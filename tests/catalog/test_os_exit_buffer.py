"""Specs of L19b: os._exit() in a child and buffered output
(lab/data/behaviors/os_exit_buffer.toml)."""
import pytest

from lab.expectations import expected

CASES = [("os._exit(0)", "os_exit_buffer_os_exit"),
         ("flush, then os._exit(0)", "os_exit_buffer_flushed"),
         ("return", "os_exit_buffer_return"),
         ("sys.exit(0)", "os_exit_buffer_sys_exit"),
         ("parent's unflushed line", "os_exit_buffer_parent")]


@pytest.mark.claim("L19b")
@pytest.mark.parametrize("case, expectation", CASES, ids=[c for c, _ in CASES])
def test_unflushed_line(probe, spec, start_method, case, expectation):
    obs = probe("os_exit_buffer", start_method)
    spec.check(obs.one(case).value, expected(expectation, start_method=start_method))
