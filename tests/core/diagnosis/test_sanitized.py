"""Diagnosing a sanitized recording: the engine reads the sanitizer's markers where it compares
values. A verifier's marker carries its S256 challenge; a JWT whose signature became a marker is
judged on its header and claims (its kid against the keys still counts, its signature cannot);
evidence shows markers as they are, so equal values stay visibly equal."""

from inspector.core.diagnosis.engine import diagnose_har
from inspector.core.diagnosis.model import safe_value
from inspector.core.har.model import ExchangeKind
from inspector.core.protocol.pkce import s256_challenge
from inspector.core.sanitize.markers import Markers
from inspector.core.sanitize.jwts import strip
from inspector.core.sanitize.scrubber import Scrubber
from tests.support.diagnosis import CLIENT, ISSUER, NOW, causes, context, exchange, id_token, jwk, timeline

MARKERS = Markers(b"k" * 32)
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
APP = "https://app.example.com/callback"
CODE = MARKERS.mark("SplxlOBeZQQYbYS6WxSbIA")


def login(verifier_sent: str, challenge: str, method: str = "S256", status: int = 400, body=None):
    authorize = exchange(1, ExchangeKind.AUTHORIZE, f"{ISSUER}/authorize", status=302, params={
        "response_type": "code", "client_id": CLIENT, "redirect_uri": APP, "scope": "openid", "state": "s1",
        "code_challenge": challenge, "code_challenge_method": method})
    callback = exchange(2, ExchangeKind.CALLBACK, APP, callback={"code": CODE, "state": "s1"}, started=1.0)
    token = exchange(3, ExchangeKind.TOKEN, f"{ISSUER}/token", status=status, started=2.0, server_time=2.0,
                     body=body or {"error": "invalid_grant", "error_description": "grant request is invalid"},
                     params={"grant_type": "authorization_code", "code": CODE, "redirect_uri": APP,
                             "client_id": CLIENT, "code_verifier": verifier_sent})
    return [authorize, callback, token]


def test_a_verifiers_marker_is_compared_by_the_challenge_it_carries():
    other = "another-verifier-" + "x" * 30
    report = diagnose_har(timeline(*login(MARKERS.verifier(other), s256_challenge(VERIFIER))), context())
    assert causes(report) == [("pkce_mismatch", "certain")]
    assert s256_challenge(other) in report.diagnoses[0].summary and other not in str(report.to_json())
    matching = diagnose_har(timeline(*login(MARKERS.verifier(VERIFIER), s256_challenge(VERIFIER))), context())
    assert "pkce_mismatch" not in [cause for cause, _ in causes(matching)]


def test_a_plain_challenge_and_verifier_are_compared_as_markers():
    same = diagnose_har(timeline(*login(MARKERS.verifier(VERIFIER), MARKERS.verifier(VERIFIER), "plain")), context())
    assert "pkce_mismatch" not in [cause for cause, _ in causes(same)]
    differ = diagnose_har(timeline(*login(MARKERS.verifier("v" * 43), MARKERS.verifier(VERIFIER), "plain")), context())
    assert causes(differ)[0] == ("pkce_mismatch", "certain")


def stripped(token: str) -> str:
    return strip(token, Scrubber(MARKERS))


def tokens_exchanges(token: str):
    answer = {"access_token": MARKERS.mark("at"), "token_type": "Bearer", "id_token": stripped(token)}
    exchanges = login(MARKERS.verifier(VERIFIER), s256_challenge(VERIFIER), status=200, body=answer)
    return [*exchanges, exchange(4, ExchangeKind.JWKS, f"{ISSUER}/jwks", body={"keys": [jwk()]}, started=2.5)]


def test_a_jwt_without_its_signature_is_not_a_bad_signature():
    report = diagnose_har(timeline(*tokens_exchanges(id_token(nonce=None))), context(at=NOW))
    assert causes(report) == []


def test_its_kid_and_claims_still_count():
    rotated = diagnose_har(timeline(*tokens_exchanges(id_token(index=2, kid="k7", nonce=None))), context(at=NOW))
    assert causes(rotated) == [("signing_key_rotated", "likely")]
    expired = diagnose_har(timeline(*tokens_exchanges(id_token(nonce=None, exp=NOW - 900, iat=NOW - 4000))),
                           context(at=NOW))
    assert causes(expired)[0][0] == "token_expired"


def test_evidence_shows_markers_and_stripped_tokens_as_they_are():
    token = stripped(id_token())
    assert safe_value("code", CODE) == CODE and safe_value("code_verifier", MARKERS.verifier(VERIFIER)) == \
        MARKERS.verifier(VERIFIER)
    assert safe_value("refresh_token", token) == token
    assert safe_value("code", "SplxlOBeZQQYbYS6WxSbIA") != "SplxlOBeZQQYbYS6WxSbIA"  # a real code is abbreviated
