"""Specs of L15: the parent's signal dispositions in a child
(lab/data/behaviors/signal_inheritance.toml)."""
import pytest

from lab.expectations import expected


@pytest.mark.claim("L15")
def test_python_handler_in_child(probe, spec, start_method):
    obs = probe("signal_inheritance", start_method)
    spec.check(obs.one("first_sigusr1").value,
               expected("signal_inheritance_handler", start_method=start_method))


@pytest.mark.claim("L15")
def test_sig_ign_set_before_first_child(probe, spec, start_method):
    obs = probe("signal_inheritance", start_method)
    assert obs.one("parent_sigint_at_start").value == "default_int_handler (KeyboardInterrupt)"
    spec.check(obs.one("first_sigint").value,
               expected("signal_inheritance_ignored_before", start_method=start_method))


@pytest.mark.claim("L15")
def test_sigint_restored_after_first_child(probe, spec, start_method):
    obs = probe("signal_inheritance", start_method)
    spec.check(obs.one("second_sigint").value,
               expected("signal_inheritance_restored_after", start_method=start_method))


@pytest.mark.claim("L15")
def test_sig_ign_set_after_first_child(probe, spec, start_method):
    obs = probe("signal_inheritance", start_method)
    spec.check(obs.one("second_sigusr2").value,
               expected("signal_inheritance_ignored_after", start_method=start_method))
