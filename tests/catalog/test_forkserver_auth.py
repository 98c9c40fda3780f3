"""Specs of L27b: the fork server's socket and authentication
(lab/data/behaviors/forkserver_auth.toml)."""

from __future__ import annotations

import pytest

from lab.expectations import expected


@pytest.mark.claim("L27b")
def test_listener_is_a_private_file(probe, spec, start_method):
    obs = probe("forkserver_auth", start_method)
    spec.check(obs.one("listener").value, expected("forkserver_listener",
                                                   start_method=start_method))


@pytest.mark.claim("L27b")
def test_client_without_handshake(probe, spec, start_method):
    obs = probe("forkserver_auth", start_method)
    if start_method == "forkserver":
        assert obs.one("next_child_exitcode").value == 0
    spec.check([obs.one("server_said").value, obs.one("server_after").value],
               expected("forkserver_silent_client", start_method=start_method))
