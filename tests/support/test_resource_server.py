"""The test resource server itself, proven before other tests rely on it: Bearer JWTs checked
against its JWKS, introspection plugged in, and DPoP proofs built here by hand with PyJWT."""

import hashlib
import time
import uuid

import httpx
import jwt
import pytest
from jwt.algorithms import ECAlgorithm

from tests.support.keys import ec_private, rsa_private
from tests.support.resource_server import ResourceServer, jwk_thumbprint, token_hash

AUD = "https://api.test"


def jwks():
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_private().public_key(), as_dict=True)
    return {"keys": [{**public, "kid": "rs1", "alg": "RS256", "use": "sig"}]}


def access_token(**claims):
    body = {"sub": "ann", "aud": AUD, "exp": int(time.time()) + 300, "scope": "read", **claims}
    return jwt.encode(body, rsa_private(), algorithm="RS256", headers={"kid": "rs1", "typ": "at+jwt"})


def proof_key():
    return ec_private("P-256")


def public_jwk(key=None):
    return ECAlgorithm.to_jwk((key or proof_key()).public_key(), as_dict=True)


def proof(method, url, token, *, key=None, nonce=None, **overrides):
    claims = {"jti": str(uuid.uuid4()), "htm": method, "htu": url, "iat": int(time.time()), "ath": token_hash(token)}
    if nonce is not None:
        claims["nonce"] = nonce
    claims.update(overrides)
    header = {"typ": "dpop+jwt", "jwk": public_jwk(key)}
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key or proof_key(), algorithm="ES256",
                      headers=header)


def bound_token(**claims):
    return access_token(cnf={"jkt": jwk_thumbprint(public_jwk())}, **claims)


def get(server, path="/things", **headers):
    return httpx.get(server.url + path, headers=headers, timeout=10)


def test_the_thumbprint_matches_rfc_7638_section_3_1():
    key = {"kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
           "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
                "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdA"
                "ZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
                "kEgU8awapJzKnqDKgw"}
    assert jwk_thumbprint(key) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_a_valid_bearer_jwt_is_served():
    with ResourceServer(jwks=jwks(), audience=AUD) as server:
        answer = get(server, Authorization=f"Bearer {access_token()}")
    assert answer.status_code == 200 and answer.json()["sub"] == "ann"


@pytest.mark.parametrize(("claims", "description"), [
    ({"exp": 1}, "The access token expired"),
    ({"aud": "https://other"}, "audience is not this API"),
])
def test_bad_bearer_jwts_are_invalid_token(claims, description):
    with ResourceServer(jwks=jwks(), audience=AUD) as server:
        answer = get(server, Authorization=f"Bearer {access_token(**claims)}")
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="api", error="invalid_token"') and description in challenge


def test_a_token_signed_by_another_key_is_refused():
    forged = jwt.encode({"sub": "eve", "aud": AUD, "exp": int(time.time()) + 60}, rsa_private(1), algorithm="RS256",
                        headers={"kid": "rs1"})
    with ResourceServer(jwks=jwks(), audience=AUD) as server:
        answer = get(server, Authorization=f"Bearer {forged}")
    assert answer.status_code == 401 and "signature is invalid" in answer.headers["www-authenticate"]


def test_no_token_gets_a_challenge_without_error():
    with ResourceServer(jwks=jwks(), schemes=("Bearer", "DPoP")) as server:
        answer = get(server)
    assert answer.status_code == 401
    assert answer.headers.get_list("www-authenticate") == ['Bearer realm="api"', 'DPoP algs="ES256 RS256 PS256 EdDSA"']


def test_a_missing_scope_is_insufficient_scope_naming_it():
    with ResourceServer(jwks=jwks(), scopes={"/admin": "admin"}) as server:
        answer = get(server, "/admin", Authorization=f"Bearer {access_token()}")
    assert answer.status_code == 403 and 'error="insufficient_scope"' in answer.headers["www-authenticate"]
    assert 'scope="admin"' in answer.headers["www-authenticate"]


def test_introspection_is_pluggable_for_opaque_tokens():
    answers = {"good": {"active": True, "scope": "read", "sub": "bob"}, "old": {"active": False}}
    with ResourceServer(introspect=answers.get) as server:
        assert get(server, Authorization="Bearer good").json()["sub"] == "bob"
        refused = get(server, Authorization="Bearer old")
    assert refused.status_code == 401 and "not active" in refused.headers["www-authenticate"]


def test_a_redirect_route_answers_before_any_check():
    with ResourceServer(redirects={"/moved": "https://elsewhere.example/x"}) as server:
        answer = get(server, "/moved", Authorization="Bearer whatever")
    assert answer.status_code == 302 and answer.headers["location"] == "https://elsewhere.example/x"
    assert server.received[0].headers["authorization"] == "Bearer whatever"


# --- DPoP (RFC 9449) ---------------------------------------------------------------------------

def test_a_dpop_bound_token_with_a_valid_proof_is_served():
    token = bound_token()
    with ResourceServer(jwks=jwks(), schemes=("DPoP",)) as server:
        answer = get(server, Authorization=f"DPoP {token}", DPoP=proof("GET", server.url + "/things", token))
    assert answer.status_code == 200


def test_a_dpop_bound_token_sent_as_bearer_is_refused():
    with ResourceServer(jwks=jwks(), schemes=("Bearer", "DPoP")) as server:
        answer = get(server, Authorization=f"Bearer {bound_token()}")
    assert answer.status_code == 401 and "DPoP-bound token used as Bearer" in answer.headers["www-authenticate"]


def test_a_dpop_only_api_offers_only_dpop_to_a_bearer_token():
    with ResourceServer(jwks=jwks(), schemes=("DPoP",)) as server:
        answer = get(server, Authorization=f"Bearer {access_token()}")
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == 'DPoP algs="ES256 RS256 PS256 EdDSA"'


def bad_proof_description(make_proof, token=None):
    token = token or bound_token()
    with ResourceServer(jwks=jwks(), schemes=("DPoP",)) as server:
        headers = {"Authorization": f"DPoP {token}"}
        value = make_proof(server.url + "/things", token)
        if value is not None:
            headers["DPoP"] = value
        answer = get(server, **headers)
    assert answer.status_code == 401
    challenge = answer.headers["www-authenticate"]
    assert 'error="invalid_dpop_proof"' in challenge or 'error="invalid_token"' in challenge
    return challenge


@pytest.mark.parametrize(("make_proof", "words"), [
    (lambda url, token: None, "Exactly one DPoP proof"),
    (lambda url, token: proof("POST", url, token), "htm"),
    (lambda url, token: proof("GET", url + "/other", token), "htu"),
    (lambda url, token: proof("GET", url, token, iat=int(time.time()) - 3600), "iat"),
    (lambda url, token: proof("GET", url, token, ath=token_hash("another token")), "ath"),
    (lambda url, token: proof("GET", url, token, jti=None), "lacks jti"),
    (lambda url, token: proof("GET", url, token, key=ec_private_other()), "cnf.jkt"),
    (lambda url, token: jwt.encode({"htm": "GET"}, "s" * 32, algorithm="HS256",
                                   headers={"typ": "dpop+jwt", "jwk": public_jwk()}), "alg"),
    (lambda url, token: jwt.encode({"htm": "GET"}, proof_key(), algorithm="ES256",
                                   headers={"typ": "JWT", "jwk": public_jwk()}), "typ"),
])
def test_bad_proofs_are_invalid_dpop_proof(make_proof, words):
    assert words in bad_proof_description(make_proof)


def ec_private_other():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def test_a_proof_signed_by_another_key_than_its_jwk_does_not_verify():
    def forged(url, token):
        claims = {"jti": "j", "htm": "GET", "htu": url, "iat": int(time.time()), "ath": token_hash(token)}
        return jwt.encode(claims, ec_private_other(), algorithm="ES256", headers={"typ": "dpop+jwt", "jwk": public_jwk()})

    assert "signature does not verify" in bad_proof_description(forged)


def test_a_replayed_proof_is_refused():
    token = bound_token()
    with ResourceServer(jwks=jwks(), schemes=("DPoP",)) as server:
        once = proof("GET", server.url + "/things", token)
        assert get(server, Authorization=f"DPoP {token}", DPoP=once).status_code == 200
        again = get(server, Authorization=f"DPoP {token}", DPoP=once)
    assert again.status_code == 401 and "already used" in again.headers["www-authenticate"]


def test_an_unbound_token_sent_with_dpop_is_invalid_token():
    assert "not DPoP-bound" in bad_proof_description(lambda url, token: proof("GET", url, token), access_token())


def test_the_nonce_dance():
    token = bound_token()
    with ResourceServer(jwks=jwks(), schemes=("DPoP",), dpop_nonce="n-42") as server:
        url = server.url + "/things"
        first = get(server, Authorization=f"DPoP {token}", DPoP=proof("GET", url, token))
        assert first.status_code == 401 and first.headers["dpop-nonce"] == "n-42"
        assert 'error="use_dpop_nonce"' in first.headers["www-authenticate"]
        second = get(server, Authorization=f"DPoP {token}", DPoP=proof("GET", url, token, nonce="n-42"))
    assert second.status_code == 200


def test_the_ath_is_the_sha256_of_the_token():
    assert token_hash("abc") == jwt.utils.base64url_encode(hashlib.sha256(b"abc").digest()).decode()
