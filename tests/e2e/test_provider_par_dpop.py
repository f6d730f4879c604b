"""The test provider itself offers what PAR (RFC 9126) and DPoP (RFC 9449) tests need, checked by
playing the client by hand (httpx), independent of our flow code: the pushed authorization
request endpoint, a client that must use it, DPoP-bound tokens (opaque, and JWT access tokens
with cnf.jkt), the forced nonce round, userinfo with DPoP, and the stricter second provider."""

import httpx
import jwt
import pytest

from tests.support.direct_client import DPoPKey, authorization, browser_answer, metadata, redeem
from tests.support.provider import TEST_API

pytestmark = pytest.mark.e2e

PAR_REQUIRED = "par-required-client"


def basic(provider, client_id):
    return (client_id, provider.secrets[client_id])


def test_discovery_lists_the_par_endpoint_and_the_dpop_algorithms(oidc_provider):
    found = metadata(oidc_provider)
    assert found["pushed_authorization_request_endpoint"] == f"{oidc_provider.issuer}/request"
    assert "ES256" in found["dpop_signing_alg_values_supported"]
    assert "require_pushed_authorization_requests" not in found


def test_a_pushed_request_returns_a_request_uri_that_the_browser_then_uses(oidc_provider):
    request = authorization(PAR_REQUIRED)
    pushed = httpx.post(metadata(oidc_provider)["pushed_authorization_request_endpoint"], data=request.params,
                        auth=basic(oidc_provider, PAR_REQUIRED), timeout=5)
    assert pushed.status_code == 201, pushed.text
    answer = pushed.json()
    assert answer["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert isinstance(answer["expires_in"], int) and answer["expires_in"] > 0
    back = browser_answer(oidc_provider, {"client_id": PAR_REQUIRED, "request_uri": answer["request_uri"]})
    assert back["state"] == request.params["state"]
    tokens = redeem(oidc_provider, request, back["code"], auth=basic(oidc_provider, PAR_REQUIRED))
    assert tokens.status_code == 200, tokens.text


def test_a_pushed_request_with_a_wrong_secret_is_refused(oidc_provider):
    pushed = httpx.post(metadata(oidc_provider)["pushed_authorization_request_endpoint"],
                        data=authorization(PAR_REQUIRED).params, auth=(PAR_REQUIRED, "wrong"), timeout=5)
    assert pushed.status_code == 401 and pushed.json()["error"] == "invalid_client"


def test_the_par_required_client_is_refused_a_plain_authorization_request(oidc_provider):
    back = browser_answer(oidc_provider, authorization(PAR_REQUIRED).params)
    assert back["error"] == "invalid_request"
    assert back["error_description"] == "Pushed Authorization Request must be used"


def test_an_unknown_request_uri_is_refused(oidc_provider):
    back = browser_answer(oidc_provider, {"client_id": PAR_REQUIRED,
                                          "request_uri": "urn:ietf:params:oauth:request_uri:unknown"})
    assert back["error"] == "invalid_request_uri"


def test_a_token_request_with_a_dpop_proof_gets_a_dpop_bound_token(oidc_provider):
    key = DPoPKey()
    request = authorization("dpop-client")
    back = browser_answer(oidc_provider, request.params)
    tokens = redeem(oidc_provider, request, back["code"], dpop=key)
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["token_type"] == "DPoP"
    introspected = httpx.post(metadata(oidc_provider)["introspection_endpoint"], timeout=5,
                              data={"token": tokens.json()["access_token"], "client_id": "dpop-client"}).json()
    assert introspected["active"] is True and introspected["cnf"] == {"jkt": key.thumbprint}


def test_a_dpop_client_without_a_proof_is_refused(oidc_provider):
    request = authorization("dpop-client")
    back = browser_answer(oidc_provider, request.params)
    tokens = redeem(oidc_provider, request, back["code"])
    assert tokens.status_code == 400 and tokens.json()["error"] == "invalid_grant"  # its details only in the log


def test_the_nonce_client_meets_use_dpop_nonce_first_and_succeeds_with_the_nonce(oidc_provider):
    key = DPoPKey()
    request = authorization("dpop-nonce-client")
    back = browser_answer(oidc_provider, request.params)
    first = redeem(oidc_provider, request, back["code"], dpop=key)
    assert first.status_code == 400 and first.json()["error"] == "use_dpop_nonce"
    nonce = first.headers["DPoP-Nonce"]
    second = redeem(oidc_provider, request, back["code"], dpop=key, nonce=nonce)
    assert second.status_code == 200, second.text
    assert second.json()["token_type"] == "DPoP"


def test_userinfo_takes_a_dpop_bound_token_with_a_proof_and_refuses_it_as_bearer(oidc_provider):
    key = DPoPKey()
    request = authorization("dpop-client")
    back = browser_answer(oidc_provider, request.params)
    access_token = redeem(oidc_provider, request, back["code"], dpop=key).json()["access_token"]
    userinfo = metadata(oidc_provider)["userinfo_endpoint"]
    proof = key.proof("GET", userinfo, access_token=access_token)
    claims = httpx.get(userinfo, headers={"Authorization": f"DPoP {access_token}", "DPoP": proof}, timeout=5)
    assert claims.status_code == 200 and claims.json()["email"] == "alice@example.test"
    as_bearer = httpx.get(userinfo, headers={"Authorization": f"Bearer {access_token}"}, timeout=5)
    assert as_bearer.status_code == 401
    assert as_bearer.headers["WWW-Authenticate"].startswith("DPoP ")
    assert 'error="invalid_token"' in as_bearer.headers["WWW-Authenticate"]


def test_a_refresh_with_a_proof_of_the_same_key_works_and_without_one_is_refused(oidc_provider):
    key = DPoPKey()
    request = authorization("dpop-client", scope="openid offline_access")
    back = browser_answer(oidc_provider, request.params)
    refresh_token = redeem(oidc_provider, request, back["code"], dpop=key).json()["refresh_token"]
    token_endpoint = metadata(oidc_provider)["token_endpoint"]
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "dpop-client"}
    without = httpx.post(token_endpoint, data=form, timeout=5)
    assert without.status_code == 400 and without.json()["error"] == "invalid_grant"
    refreshed = httpx.post(token_endpoint, data=form, headers={"DPoP": key.proof("POST", token_endpoint)}, timeout=5)
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["token_type"] == "DPoP"


def test_the_jwt_client_gets_a_signed_jwt_access_token_bound_to_its_key(oidc_provider):
    key = DPoPKey()
    request = authorization("dpop-jwt-client", scope="api:read")
    back = browser_answer(oidc_provider, request.params)
    tokens = redeem(oidc_provider, request, back["code"], auth=basic(oidc_provider, "dpop-jwt-client"), dpop=key)
    assert tokens.status_code == 200, tokens.text
    access_token = tokens.json()["access_token"]
    assert jwt.get_unverified_header(access_token)["typ"] == "at+jwt"  # RFC 9068 §2.1
    keys = jwt.PyJWKSet.from_dict(httpx.get(metadata(oidc_provider)["jwks_uri"], timeout=5).json())
    signing_key = next(k for k in keys.keys if k.key_id == jwt.get_unverified_header(access_token)["kid"])
    claims = jwt.decode(access_token, signing_key, algorithms=["RS256", "ES256"], audience=TEST_API,
                        issuer=oidc_provider.issuer)
    assert claims["cnf"] == {"jkt": key.thumbprint}
    assert claims["scope"] == "api:read" and claims["client_id"] == "dpop-jwt-client"


def test_other_clients_keep_opaque_access_tokens(oidc_provider):
    request = authorization("public-client")
    back = browser_answer(oidc_provider, request.params)
    tokens = redeem(oidc_provider, request, back["code"]).json()
    assert tokens["token_type"] == "Bearer" and tokens["access_token"].count(".") == 0


def test_the_strict_provider_requires_par_of_every_client(oidc_provider_strict):
    assert metadata(oidc_provider_strict)["require_pushed_authorization_requests"] is True
    back = browser_answer(oidc_provider_strict, authorization("public-client").params)
    assert back["error_description"] == "Pushed Authorization Request must be used"


def test_the_strict_provider_wants_a_nonce_at_the_par_token_and_userinfo_endpoints(oidc_provider_strict):
    key = DPoPKey()
    found = metadata(oidc_provider_strict)
    request = authorization("dpop-client")
    par = found["pushed_authorization_request_endpoint"]
    first = httpx.post(par, data=request.params, headers={"DPoP": key.proof("POST", par)}, timeout=5)
    assert first.status_code == 400 and first.json()["error"] == "use_dpop_nonce"
    pushed = httpx.post(par, data=request.params, timeout=5,
                        headers={"DPoP": key.proof("POST", par, nonce=first.headers["DPoP-Nonce"])})
    assert pushed.status_code == 201, pushed.text
    back = browser_answer(oidc_provider_strict, {"client_id": "dpop-client",
                                                 "request_uri": pushed.json()["request_uri"]})
    refused = redeem(oidc_provider_strict, request, back["code"], dpop=key)
    assert refused.json()["error"] == "use_dpop_nonce"
    tokens = redeem(oidc_provider_strict, request, back["code"], dpop=key, nonce=refused.headers["DPoP-Nonce"])
    access_token = tokens.json()["access_token"]
    userinfo = found["userinfo_endpoint"]
    no_nonce = httpx.get(userinfo, timeout=5, headers={"Authorization": f"DPoP {access_token}",
                                                       "DPoP": key.proof("GET", userinfo, access_token=access_token)})
    assert no_nonce.status_code == 401 and 'error="use_dpop_nonce"' in no_nonce.headers["WWW-Authenticate"]
    proof = key.proof("GET", userinfo, access_token=access_token, nonce=no_nonce.headers["DPoP-Nonce"])
    claims = httpx.get(userinfo, headers={"Authorization": f"DPoP {access_token}", "DPoP": proof}, timeout=5)
    assert claims.status_code == 200, claims.text

