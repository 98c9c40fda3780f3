"""Specs of L26b: a preloaded module that fails to import, and 3.15's on_error
(lab/data/behaviors/forkserver_preload_error.toml)."""

from __future__ import annotations

from typing import Any

import pytest

from lab.expectations import expected
from lab.runner import Observation


def in_words(result: dict[str, Any], obs: Observation | None = None) -> str:
    if "set_forkserver_preload" in result:
        return result["set_forkserver_preload"]
    start = result["start"]
    if start.startswith("child exited"):
        if obs is None:
            return start
        warned = any("Failed to preload" in line for line in obs.stderr)
        return start + ("; warning shown" if warned else "; no warning shown")
    # Not the note connect_to_new_process adds ("Forkserver process may have crashed..."): it
    # comes only when the server dies after connect() (during the handshake), and a server
    # quicker than its client under load refuses connect() itself, without the note.
    return f"start() raised: {start}"


@pytest.mark.claim("L26b")
def test_failed_preload_is_ignored_by_default(probe, spec, start_method):
    obs = probe("forkserver_preload_error", start_method)
    spec.check(in_words(obs.one("default").value),
               expected("preload_error_default", start_method=start_method))


@pytest.mark.claim("L26b")
def test_the_fork_server_serves_on_after_a_failed_preload(probe, spec, start_method):
    obs = probe("forkserver_preload_error", start_method)
    spec.check(obs.one("default").value["forked_by"],
               expected("preload_error_default_forked_by", start_method=start_method))


@pytest.mark.claim("L26b")
def test_on_error_warn(probe, spec, start_method):
    obs = probe("forkserver_preload_error", start_method)
    spec.check(in_words(obs.one("on_error_warn").value, obs),
               expected("preload_error_warn", start_method=start_method))


@pytest.mark.claim("L26b")
def test_on_error_fail(probe, spec, start_method):
    obs = probe("forkserver_preload_error", start_method)
    spec.check(in_words(obs.one("on_error_fail").value),
               expected("preload_error_fail", start_method=start_method))
