"""The Decoder's verify job: the user's key source decides the keys, never the token's header."""

from __future__ import annotations

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
