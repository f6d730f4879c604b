"""The Decoder's verify job: the user's key source decides the keys, never the token's header."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from inspector.core.errors import KeySourceError, ProfileNotFoundError
from inspector.core.flows.cancel import CancelToken
from inspector.core.storage.profile_model import Profile
from inspector.ui.verification import KeySource, VerifyRequest, run_verification
from tests.support.jose import sign

NOW = 1_800_000_000.0
SECRET = "a-shared-secret-of-thirty-two-bytes!"


@pytest.fixture
def no_network(context):
    """Any request at all fails the test: these key sources must not fetch anything."""
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(500)

    context.transport = httpx.MockTransport(handler)
    context.clock = lambda: NOW
    return requested


def hs256(**header: object) -> str:
    return sign({"sub": "alice", "exp": int(NOW) + 600}, SECRET.encode(), "HS256", **header)


def test_a_jku_or_x5u_in_the_header_is_never_fetched_with_a_secret(context, no_network):
    token = hs256(jku="https://attacker.example/jwks", x5u="https://attacker.example/cert")
    report = run_verification(VerifyRequest(token, KeySource.SECRET, secret=SECRET), context, CancelToken())
    assert no_network == []
    assert report.valid, [f.message for f in report.findings]  # verified with the user's secret
    assert [f.code for f in report.findings].count("header_key_ignored") == 2


def test_an_embedded_jwk_does_not_replace_the_pasted_key(context, no_network):
    import base64

    signing_key = base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("=")
    token = hs256(jwk={"kty": "oct", "k": signing_key})  # the attacker ships the key that "verifies" it
    pasted = '{"kty":"oct","k":"' + "QUJD" * 11 + '"}'
    report = run_verification(VerifyRequest(token, KeySource.PASTED, key_text=pasted), context, CancelToken())
    assert not report.valid
    assert "header_key_ignored" in [f.code for f in report.findings]
    assert no_network == []


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (VerifyRequest("x", KeySource.JWKS_URL), "Enter the JWKS URL"),
        (VerifyRequest("x", KeySource.PASTED, key_text="   "), "Paste a JWK, a JWKS or a PEM key"),
        (VerifyRequest("x", KeySource.SECRET), "Enter the shared secret"),
    ],
    ids=["jwks url", "pasted", "secret"],
)
def test_a_missing_key_says_what_to_enter(context, no_network, request_, words):
    with pytest.raises(KeySourceError, match=words):
        run_verification(request_, context, CancelToken())
    assert no_network == []


def test_the_profile_source_without_a_profile_says_where_to_pick_one(context, no_network):
    with pytest.raises(ProfileNotFoundError, match="Pick one in the Profile box"):
        run_verification(VerifyRequest(hs256(), KeySource.PROFILE), context, CancelToken())


def test_a_profile_without_any_jwks_source_names_the_fix(context, no_network):
    context.storage.profiles.add(Profile(name="bare", client_id="app", auth_method="none",
                                         endpoints={"token_endpoint": "https://idp.example/token"}))
    request = VerifyRequest(hs256(), KeySource.PROFILE, profile="bare")
    with pytest.raises(KeySourceError, match="Run Discover on the Profiles panel"):
        run_verification(request, context, CancelToken())
    assert no_network == []


# --- the profile's client id applies the ID token rules to ID tokens only ------------------------

ISSUER = "https://idp.example"


@pytest.fixture
def profile_keys(context):
    """A profile whose jwks_uri serves the RSA key the tokens below are signed with."""
    from tests.support.keys import public_jwk, rsa_private

    jwks = {"keys": [public_jwk(rsa_private(), kid="k1", alg="RS256", use="sig")]}
    context.transport = httpx.MockTransport(lambda request: httpx.Response(200, json=jwks))
    context.clock = lambda: NOW
    context.storage.profiles.add(Profile(name="idp", issuer=ISSUER, client_id="app", auth_method="none",
                                         endpoints={"jwks_uri": f"{ISSUER}/jwks"}))
    return VerifyRequest("", KeySource.PROFILE, profile="idp")


def rs256(claims: dict[str, object], **header: object) -> str:
    from tests.support.keys import rsa_private

    return sign({"iss": ISSUER, "sub": "alice", "exp": int(NOW) + 600, **claims}, rsa_private(), "RS256",
                kid="k1", **header)


@pytest.mark.parametrize("token_args", [({"aud": "https://api.example"}, {"typ": "at+jwt"}),
                                        ({"aud": "https://api.example", "scope": "read", "client_id": "app"}, {})],
                         ids=["typ at+jwt", "access claims"])
def test_an_access_token_verified_with_the_profile_keys_gets_no_id_token_aud_failure(context, profile_keys,
                                                                                     token_args):
    """The profile's client id was filled in for every token: an access token for an API failed
    'aud must contain the client id' (an ID token rule)."""
    claims, header = token_args
    report = run_verification(replace(profile_keys, token=rs256(claims, **header)), context, CancelToken())
    assert report.valid, [f.message for f in report.findings]
    assert "client_id" not in report.checked and "issuer" in report.checked


def test_an_id_token_verified_with_the_profile_keys_still_gets_the_id_token_rules(context, profile_keys):
    token = rs256({"aud": "someone-else", "nonce": "n"})
    report = run_verification(replace(profile_keys, token=token), context, CancelToken())
    assert not report.valid and "client_id" in report.checked
