"""Specs of L13: forking a multi-threaded process warns from 3.12 (gh-100228)
(lab/data/behaviors/fork_with_threads_warning.toml)."""

import pytest

from lab.expectations import expected
from lab.fixtures import needs_fork

PROBE = "fork_with_threads_warning"


def in_words(warnings: list, shown: bool) -> str:
    """The warnings a fork raised, as the matrix shows them."""
    if not warnings:
        return "no warning"
    kinds = sorted({w["warning"].split(":", 1)[0] for w in warnings})
    return f"{', '.join(kinds)}, {'shown' if shown else 'hidden by the default filters'}"


@needs_fork
@pytest.mark.claim("L13")
def test_os_fork_alone_does_not_warn(probe, spec):
    obs = probe(PROBE, None)
    spec.check(in_words(obs.one("os_fork_alone").value, False),
               expected("fork_with_threads_alone"))


@needs_fork
@pytest.mark.claim("L13")
def test_os_fork_with_a_thread_warns_from_3_12(probe, spec):
    # Raw os.fork(): no start method applies.
    obs = probe(PROBE, None)
    spec.check(in_words(obs.one("os_fork_with_thread").value, obs.one("os_fork_shown").value),
               expected("fork_with_threads_os_fork"))


@pytest.mark.claim("L13")
def test_process_start_with_a_thread_warns_under_fork_only(probe, spec, start_method):
    obs = probe(PROBE, start_method)
    spec.check(in_words(obs.one("process_start_with_thread").value,
                        obs.one("process_start_shown").value),
               expected("fork_with_threads_process_start", start_method=start_method))
