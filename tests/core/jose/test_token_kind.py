"""core.jose.token_kind: the one place a JWT's kind (ID, access, refresh) is decided."""

from __future__ import annotations

import pytest

from inspector.core.jose.token_kind import ACCESS, ID, REFRESH, KindSign, kind_sign, may_be_id_token


@pytest.mark.parametrize(("header", "claims", "sign"), [
    ({"typ": "at+jwt"}, {"nonce": "n"}, KindSign(ACCESS, "header", ("typ",), declared=True)),
    ({"typ": "Application/AT+JWT"}, {}, KindSign(ACCESS, "header", ("typ",), declared=True)),
    ({"typ": "refresh+jwt"}, {}, KindSign(REFRESH, "header", ("typ",), declared=True)),
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
