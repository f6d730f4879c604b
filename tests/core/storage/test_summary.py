import pytest

from inspector.core.storage.summary import response_expiry, summarize
from tests.support.storage import fake_jwt


def test_claim_summary_of_a_jwt():
    token = fake_jwt({"iss": "https://idp.example", "sub": "alice", "aud": ["api", 7, "web"], "exp": 1_700_000_000})
    summary = summarize(token)
    assert (summary.issuer, summary.subject, summary.audience, summary.expires) == (
        "https://idp.example", "alice", ("api", "web"), 1_700_000_000.0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("header", "claims", "kind"),
    [
        ({"alg": "RS256", "typ": "at+jwt"}, {"sub": "a"}, "access"),
        ({"alg": "RS256", "typ": "application/at+jwt"}, {"sub": "a"}, "access"),
        ({"alg": "RS256"}, {"sub": "a", "nonce": "n"}, "id"),
        ({"alg": "RS256"}, {"sub": "a", "at_hash": "x"}, "id"),
        ({"alg": "RS256"}, {"sub": "a"}, "jwt"),
        ({"alg": "RS256"}, {"sub": "a", "scope": "read", "client_id": "c"}, "access"),
        ({"alg": "RS256"}, {"sub": "a", "auth_time": 1, "acr": "1"}, "jwt"),  # access tokens may carry them too
        ({"alg": "RS256", "typ": "refresh+jwt"}, {"sub": "a"}, "refresh"),
    ],
)
def test_kind_of_a_pasted_jwt_is_guessed(header, claims, kind):
    assert summarize(fake_jwt(claims, header)).kind == kind


def test_jwe_and_opaque_tokens():
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"
    assert summarize(jwe).kind == "jwe"
    opaque = summarize("2YotnFZFEjr1zCsicMWpAA")
    assert (opaque.kind, opaque.issuer, opaque.audience, opaque.expires) == ("opaque", "", (), None)


def test_kind_given_by_the_flow_wins():
    assert summarize(fake_jwt({"sub": "a"}), "access").kind == "access"
    assert summarize("2YotnFZFEjr1zCsicMWpAA", "refresh").kind == "refresh"


@pytest.mark.parametrize("exp", ["1700000000", True, None, [1]])
def test_non_numeric_exp_is_ignored(exp):
    assert summarize(fake_jwt({"exp": exp})).expires is None


def test_unreadable_text_is_summarised_as_opaque():
    assert summarize("   ").kind == "opaque"


@pytest.mark.parametrize(("expires_in", "expected"), [(3600, 1_000_003_600.0), (0.5, 1_000_000_000.5), (0, None),
                                                       (-5, None), ("3600", None), (True, None), (None, None)])
def test_response_expiry_is_the_response_time_plus_a_positive_expires_in(expires_in, expected):
    assert response_expiry({"expires_in": expires_in}, 1_000_000_000.0) == expected


def test_an_expiry_known_from_elsewhere_is_kept_for_an_opaque_token_and_yields_to_a_jwts_exp():
    assert summarize("opaque", "access", 1_000_000_000.0).expires == 1_000_000_000.0
    assert summarize(fake_jwt({"exp": 5}), "access", 1_000_000_000.0).expires == 5.0
    assert summarize(fake_jwt({"sub": "a"}), "access", 1_000_000_000.0).expires == 1_000_000_000.0


@pytest.mark.parametrize("exp", [10**309, 1e300, -(10**20)])
def test_exp_of_10_to_309_has_no_expiry_in_the_history(exp):
    """float(10**309) raised OverflowError: a flow with history on failed on such an access token."""
    assert summarize(fake_jwt({"sub": "a", "exp": exp})).expires is None
