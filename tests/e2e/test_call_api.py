"""Calling an API with tokens from the real oidc-provider: a client credentials flow ending with
``--call`` against a resource server that validates by introspection at the provider; a DPoP-bound
JWT access token refused as Bearer (the finding says why) and accepted with ``call --dpop``."""

import json

import httpx
import jwt
import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser, main
from tests.support.direct_client import DPoPKey, authorization, browser_answer, metadata, redeem
from tests.support.provider import TEST_API
from tests.support.resource_server import ResourceServer

pytestmark = pytest.mark.e2e

SERVICE = "service-client"


def introspection(provider, client_id):
    endpoint = metadata(provider)["introspection_endpoint"]
    auth = (client_id, provider.secrets[client_id])
    return lambda token: httpx.post(endpoint, data={"token": token}, auth=auth, timeout=5).json()


def test_a_client_credentials_flow_calls_the_api_with_its_token_and_exits_0(oidc_provider, tmp_path, capsys):
    import io

    with ResourceServer(introspect=introspection(oidc_provider, SERVICE)) as api:
        out = io.StringIO()
        args = build_parser("flow").parse_args([
            "client-credentials", "--issuer", oidc_provider.issuer, "--client-id", SERVICE,
            "--client-secret", oidc_provider.secrets[SERVICE], "--scope", "api:read", "--call", f"{api.url}/me",
            "--no-history", "--json"])
        code = flow_cli.run(args, out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    call = next(line for line in lines if line["step"] == "api_call")
    assert code == 0 and call["status"] == "ok" and call["api"]["status"] == 200, call
    assert api.received[0].headers["authorization"].startswith("Bearer ")


def dpop_bound_jwt(provider):
    key = DPoPKey()
    request = authorization("dpop-jwt-client", scope="api:read")
    back = browser_answer(provider, request.params)
    tokens = redeem(provider, request, back["code"], auth=("dpop-jwt-client", provider.secrets["dpop-jwt-client"]),
                    dpop=key)
    assert tokens.status_code == 200, tokens.text
    return key, tokens.json()["access_token"]


@pytest.fixture
def dpop_api(oidc_provider):
    jwks = httpx.get(metadata(oidc_provider)["jwks_uri"], timeout=5).json()
    with ResourceServer(jwks=jwks, audience=TEST_API, issuer=oidc_provider.issuer, schemes=("DPoP",),
                        dpop_nonce="api-nonce-1") as api:
        yield api


def test_a_dpop_bound_token_sent_as_bearer_is_refused_and_the_finding_says_why(oidc_provider, dpop_api, capsys):
    _key, token = dpop_bound_jwt(oidc_provider)
    code = main(["call", f"{dpop_api.url}/me", "--token", token, "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1 and document["status"] == 401
    [finding] = [f for f in document["findings"] if f["code"] == "dpop_required"]
    assert "This token is DPoP-bound" in finding["message"]


def test_the_same_token_with_its_key_goes_through_the_nonce_round(oidc_provider, dpop_api, tmp_path, capsys):
    key, token = dpop_bound_jwt(oidc_provider)
    key_file = tmp_path / "dpop.jwk"
    key_file.write_text(jwt.algorithms.ECAlgorithm.to_jwk(key.private))
    code = main(["call", f"{dpop_api.url}/me", "--token", token, "--dpop-key", str(key_file), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and document["status"] == 200, document["findings"]
    assert [proof["claims"].get("nonce") for proof in document["dpop_proofs"]] == [None, "api-nonce-1"]
    assert {proof["header"]["jwk"]["x"] for proof in document["dpop_proofs"]} == {key.jwk["x"]}
