"""Shared fixtures. The OpenID Provider fixture is lazy: only tests that request it start Node."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def unused_tcp_port() -> int:
    """A port nothing listens on right now (bound and released on 127.0.0.1)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real oidc-provider on 127.0.0.1 (started on first use, stopped at session end)."""
    from tests.support.provider import start_provider, stop_provider

    provider = start_provider(tmp_path_factory.mktemp("provider"))
    yield provider
    stop_provider(provider)
