"""Specs of L27: Process.interrupt(), 3.14+ (lab/data/behaviors/process_interrupt.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L27")
def test_interrupt_exists(probe_run, spec, start_method):
    obs = probe_run("process_interrupt", start_method)
    assert obs.exit_code == 0 and not obs.timed_out and obs.leftovers == [], obs.summary()
    call = obs.one("interrupt").value
    spec.check(call if isinstance(call, str) else call["type"],
               expected("process_interrupt_call", start_method=start_method))


@pytest.mark.claim("L27")
def test_child_gets_keyboard_interrupt(probe_run, spec, start_method):
    # probe_run: the child's KeyboardInterrupt traceback on stderr is part of the behavior.
    obs = probe_run("process_interrupt", start_method)
    assert obs.exit_code == 0 and not obs.timed_out and obs.leftovers == [], obs.summary()
    assert obs.one("child_sigint_handler").value == "default_int_handler"
    spec.check([obs.one("child_saw").value, obs.one("child_exitcode").value],
               expected("process_interrupt_child", start_method=start_method))
