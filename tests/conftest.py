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


@pytest.fixture(scope="session", autouse=True)
def throwaway_app_storage(tmp_path_factory):
    """No test reaches the developer's real profiles, history or keyring: the app's home and the
    default keyring backend are throwaway ones for the whole session (the flow CLI records
    history by default). Tests that need a real keyring, or a particular home, set their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOKEN_INSPECTOR_HOME", str(tmp_path_factory.mktemp("app-home")))
        patch.setenv("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
        yield


@pytest.fixture
def keyring():
    """A fresh in-memory keyring backend (pass it to Vault or memory_storage)."""
    from tests.support.memory_keyring import MemoryKeyring

    return MemoryKeyring()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real oidc-provider on 127.0.0.1 (started on first use, stopped at session end)."""
    from tests.support.provider import start_provider, stop_provider

    provider = start_provider(tmp_path_factory.mktemp("provider"))
    yield provider
    stop_provider(provider)


@pytest.fixture(scope="session")
def oidc_provider_mtls(tmp_path_factory):
    """A third oidc-provider, served over HTTPS by a private test CA (``provider.pki``), asking for
    client certificates and doing mutual TLS (RFC 8705); started only by the tests that ask for it."""
    from tests.support.mtls import make_pki
    from tests.support.provider import start_provider, stop_provider

    directory = tmp_path_factory.mktemp("provider-mtls")
    provider = start_provider(directory, mtls=make_pki(directory))
    yield provider
    stop_provider(provider)


@pytest.fixture(scope="session")
def oidc_provider_strict(tmp_path_factory):
    """A second oidc-provider whose policy is FAPI 2.0's: PAR required of every client (the metadata
    says require_pushed_authorization_requests) and a DPoP nonce required on every DPoP request,
    the userinfo endpoint included. Same clients as ``oidc_provider``; started on first use."""
    from tests.support.provider import start_provider, stop_provider

    provider = start_provider(tmp_path_factory.mktemp("provider-strict"), require_par=True, dpop_nonce=True)
    yield provider
    stop_provider(provider)
