"""core.jose.token_kind: the one place a JWT's kind (ID, access, refresh) is decided."""

from __future__ import annotations

import pytest

from inspector.core.jose.token_kind import (ACCESS, DPOP_PROOF, ID, REFRESH, KindSign, is_dpop_proof, kind_sign,
                                            may_be_id_token)


@pytest.mark.parametrize(("header", "claims", "sign"), [
    ({"typ": "at+jwt"}, {"nonce": "n"}, KindSign(ACCESS, "header", ("typ",), declared=True)),
    ({"typ": "Application/AT+JWT"}, {}, KindSign(ACCESS, "header", ("typ",), declared=True)),
    ({"typ": "refresh+jwt"}, {}, KindSign(REFRESH, "header", ("typ",), declared=True)),
    ({"typ": "dpop+jwt"}, {"nonce": "server-nonce"}, KindSign(DPOP_PROOF, "header", ("typ",), declared=True)),
    ({"typ": "JWT"}, {"typ": "ID"}, KindSign(ID, "payload", ("typ",), declared=True)),
    ({}, {"typ": "Bearer", "nonce": "n"}, KindSign(ACCESS, "payload", ("typ",), declared=True)),
    ({}, {"nonce": "n", "at_hash": "x"}, KindSign(ID, "payload", ("nonce", "at_hash"))),
    ({}, {"scope": "openid"}, KindSign(ACCESS, "payload", ("scope",))),
    ({}, {"nonce": "n", "scope": "openid"}, KindSign(None)),
    ({}, {"sub": "a", "auth_time": 1, "acr": "1", "amr": ["pwd"]}, KindSign(None)),
])
def test_a_declared_typ_wins_and_claims_only_suggest(header, claims, sign):
    assert kind_sign(header, claims) == sign


def test_only_a_token_that_shows_another_kind_is_no_id_token():
    assert may_be_id_token({"typ": "JWT"}, {"sub": "a"})
    assert may_be_id_token(None, {"nonce": "n"})
    assert not may_be_id_token({"typ": "at+jwt"}, {"sub": "a"})
    assert not may_be_id_token({}, {"scp": ["read"], "client_id": "c"})


@pytest.mark.parametrize(("header", "proof"), [
    ({"typ": "dpop+jwt"}, True), ({"typ": "DPoP+JWT"}, True), ({"typ": "application/dpop+jwt"}, True),
    ({"typ": "JWT", "jwk": {}}, False), ({"typ": "at+jwt"}, False), ({}, False), (None, False), ({"typ": 1}, False),
])
def test_is_dpop_proof_only_for_typ_dpop_jwt(header, proof):
    assert is_dpop_proof(header) is proof


def test_a_proof_with_a_server_nonce_is_no_id_token():
    assert not may_be_id_token({"typ": "dpop+jwt"}, {"nonce": "n", "htm": "POST"})
