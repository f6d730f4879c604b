"""``token-inspector call URL`` against a real resource server on 127.0.0.1: exit 0 for 2xx, 1
for a refusal whose findings say why, 2 for usage errors; the token never leaves for another
origin, and never shows in the output."""

import io
import json
import time

import httpx
import jwt
import pytest

from inspector.cli import call as call_command
from inspector.cli.main import build_parser, main
from inspector.core.redact import MASK
from inspector.core.storage.profile_model import Profile
from tests.support.cli import run_cli as run_subprocess
from tests.support.keys import rsa_private
from tests.support.resource_server import ResourceServer, jwk_thumbprint
from tests.support.storage import memory_storage, run_cli
from tests.support.tls_server import TlsProvider

AUD = "https://api.test"


def jwks():
    public = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_private().public_key(), as_dict=True)
    return {"keys": [{**public, "kid": "rs1", "alg": "RS256"}]}


def access_token(**claims):
    body = {"sub": "ann", "aud": AUD, "exp": int(time.time()) + 300, "scope": "read", **claims}
    return jwt.encode(body, rsa_private(), algorithm="RS256", headers={"kid": "rs1", "typ": "at+jwt"})


@pytest.fixture
def api():
    with ResourceServer(jwks=jwks(), audience=AUD, scopes={"/admin": "read admin"}) as server:
        yield server


def call(capsys, *args):
    code = main(["call", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_valid_bearer_token_is_exit_0_with_status_headers_and_pretty_body(api, capsys):
    token = access_token()
    code, out, _ = call(capsys, f"{api.url}/things", "--token", token)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"GET {api.url}/things → 200 (") and lines[1] == "HTTP 200 OK"
    assert "content-type: application/json" in lines
    assert '  "sub": "ann",' in lines and token not in out
    assert api.received[0].headers["authorization"] == f"Bearer {token}"


def test_an_expired_token_is_exit_1_with_an_invalid_token_finding(api, capsys):
    code, out, _ = call(capsys, f"{api.url}/things", "--token", access_token(exp=int(time.time()) - 3600))
    assert code == 1 and "HTTP 401 Unauthorized" in out
    [finding] = [line for line in out.splitlines() if line.startswith("✖ invalid_token:")]
    assert "'The access token expired'" in finding and "the token has expired" in finding
    assert "expired 1 hour ago" in finding


def test_insufficient_scope_names_the_scope_needed_and_missing(api, capsys):
    code, out, _ = call(capsys, f"{api.url}/admin", "--token", access_token(), "--json")
    document = json.loads(out)
    [finding] = document["findings"]
    assert code == 1 and document["status"] == 403 and finding["code"] == "insufficient_scope"
    assert "needs the scope 'read admin'" in finding["message"] and "missing: 'admin'" in finding["message"]


def test_a_redirect_to_another_origin_is_not_followed_and_the_token_not_sent(capsys):
    with ResourceServer(jwks=jwks()) as other, ResourceServer(redirects={"/moved": f"{other_url(other)}/steal"}) as api:
        code, out, _ = call(capsys, f"{api.url}/moved", "--token", access_token(), "--json")
    document = json.loads(out)
    assert code == 1 and document["status"] == 302
    assert [f["code"] for f in document["findings"]] == ["redirect_not_followed"]
    assert other.received == [] and len(api.received) == 1


def other_url(server):
    """The same server under another name: another origin (RFC 6454), same machine."""
    return server.url.replace("127.0.0.1", "localhost")


def test_the_json_document_shape(api, capsys):
    token = access_token()
    code, out, _ = call(capsys, f"{api.url}/things", "--token", token, "--header", "X-Api-Key: k-1234567890",
                        "--header", "Accept: application/json", "--json")
    document = json.loads(out)
    assert code == 0
    assert {"status", "headers", "body", "findings", "request"} <= document.keys()
    assert document["status"] == 200 and document["body"]["sub"] == "ann" and document["body_type"] == "json"
    assert document["headers"]["content-type"] == "application/json" and document["findings"] == []
    request = document["request"]
    assert request["method"] == "GET" and request["url"] == f"{api.url}/things"
    assert request["headers"]["authorization"] == MASK and request["headers"]["x-api-key"] == MASK
    assert token not in out and "k-1234567890" not in out


def test_data_is_posted_as_json_by_default_and_from_a_file(api, capsys, tmp_path):
    code, out, _ = call(capsys, f"{api.url}/things", "--token", access_token(), "--data", '{"a": 1}', "--json")
    assert code == 0 and json.loads(out)["body"]["method"] == "POST"
    assert api.received[-1].body == b'{"a": 1}' and api.received[-1].headers["content-type"] == "application/json"
    (tmp_path / "form").write_text("a=1&b=2")
    code, _, _ = call(capsys, f"{api.url}/things", "--token", access_token(), "--data", f"@{tmp_path / 'form'}",
                      "-X", "put")
    assert code == 0 and api.received[-1].method == "PUT"
    assert api.received[-1].headers["content-type"] == "application/x-www-form-urlencoded"


def test_no_token_shows_what_the_api_asks_for(api, capsys):
    code, out, _ = call(capsys, f"{api.url}/things")
    assert code == 1 and "✖ no_token:" in out and "authorization" not in api.received[0].headers


def test_a_bearer_token_to_a_dpop_only_api_says_the_api_wants_dpop(capsys):
    bound = access_token(cnf={"jkt": jwk_thumbprint({"kty": "OKP", "crv": "Ed25519", "x": "abc"})})
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",)) as api:
        code, out, _ = call(capsys, f"{api.url}/things", "--token", bound, "--json")
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert code == 1 and codes == ["dpop_algs", "dpop_required"]
    assert "This token is DPoP-bound" in json.loads(out)["findings"][1]["message"]


def test_the_token_from_standard_input(api):
    token = access_token()
    result = run_subprocess("call", f"{api.url}/things", "--token", "-", "--json", stdin=token + "\n",
                            json_lines=False)
    assert result.returncode == 0 and json.loads(result.stdout)["status"] == 200
    assert api.received[0].headers["authorization"] == f"Bearer {token}"


def test_the_token_from_the_history(api, tmp_path):
    storage = memory_storage(tmp_path)
    token = access_token()
    entry = storage.history.add(token, kind="access")
    result = run_cli(storage, "call", f"{api.url}/things", "--from-history", entry.id[:6], "--json")
    assert result.code == 0 and api.received[0].headers["authorization"] == f"Bearer {token}"


def test_an_id_token_from_the_history_is_sent_with_a_warning(api, tmp_path):
    storage = memory_storage(tmp_path)
    entry = storage.history.add("opaque-id-token-value", kind="id")
    result = run_cli(storage, "call", f"{api.url}/things", "--from-history", entry.id, "--json")
    assert "not_an_access_token" in [f["code"] for f in json.loads(result.out)["findings"]]


def test_the_profile_gives_the_ca_bundle(tmp_path):
    storage = memory_storage(tmp_path)
    with TlsProvider(tmp_path) as server:
        assert run_cli(storage, "call", f"{server.issuer}/x", "--json").code == 1  # untrusted without it
        storage.profiles.add(Profile(name="tls", issuer=server.issuer, ca_bundle=str(server.cert_path)))
        result = run_cli(storage, "call", f"{server.issuer}/x", "--profile", "tls", "--json")
    assert result.code == 0 and json.loads(result.out)["body"]["issuer"] == server.issuer


@pytest.mark.parametrize("args", [
    ["ftp://example.com/x"],
    ["http://api.example.com/x", "--token", "abc"],
    ["https://api.example.com/x", "--header", "no colon"],
    ["https://api.example.com/x", "--header", "X-A: a\x07b"],
    ["https://api.example.com/x", "--method", "GE T"],
    ["https://api.example.com/x", "--token", "a b"],
    ["https://api.example.com/x", "--token", "-", "--data", "@-"],
    ["https://api.example.com/x", "--token", "t", "--header", "Authorization: Basic eA=="],
    ["https://api.example.com/x", "--token", "t", "--from-history", "abcd"],
    ["https://api.example.com/x", "--data", "@/nonexistent/file"],
    ["https://api.example.com/x", "--timeout", "0"],
])
def test_usage_errors_are_exit_2_with_a_plain_message(args, capsys):
    code, out, err = call(capsys, *args)
    assert code == 2 and out == "" and "Traceback" not in err and err.strip()


def test_a_token_that_begins_with_a_dash_is_explained(capsys):
    code, _, err = call(capsys, "https://api.example.com/x", "--token", "-abc")
    assert code == 2 and "--token=-abc" in err


def test_http_off_loopback_says_how_to_allow_it(capsys):
    code, _, err = call(capsys, "http://api.example.com/x", "--token", "abc")
    assert code == 2 and "plain http" in err and "--allow-http" in err


def test_response_cookies_are_masked_each_challenge_has_its_line_and_hostile_text_is_escaped():
    headers = [("set-cookie", "sid=secret-session-1"), ("www-authenticate", 'Basic realm="a"'),
               ("www-authenticate", "Negotiate"), ("content-type", "text/plain")]
    transport = httpx.MockTransport(lambda request: httpx.Response(401, headers=headers, text="\x1b[31mred\n"))
    out = io.StringIO()
    code = call_command.run(build_parser("call").parse_args(["https://api.example.com/x", "--token", "abc"]),
                            transport=transport, out=out)
    text = out.getvalue()
    assert code == 1 and "secret-session-1" not in text and f"set-cookie: {MASK}" in text
    assert 'www-authenticate: Basic realm="a"\nwww-authenticate: Negotiate\n' in text
    assert "\x1b" not in text and "\\u001b[31mred" in text and "✖ other_credentials:" in text


def dpop_key_file(tmp_path, key):
    path = tmp_path / "dpop.jwk"
    path.write_text(key.to_private_jwk())
    return path


def test_dpop_with_a_key_file_sends_the_token_with_a_proof_and_shows_it_decoded(tmp_path, capsys):
    from inspector.core.jose.dpop_key import DpopKey

    key = DpopKey.generate()
    token = access_token(cnf={"jkt": key.thumbprint})
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",), dpop_nonce="n-7") as api:
        code, out, _ = call(capsys, f"{api.url}/things", "--token", token, "--dpop",
                            "--dpop-key", str(dpop_key_file(tmp_path, key)))
    assert code == 0 and api.received[-1].headers["authorization"] == f"DPoP {token}"
    assert "DPoP proof 1 of 2 (sent in the DPoP header):" in out and "DPoP proof 2 of 2" in out
    assert '"nonce": "n-7"' in out and '"htu": "' + api.url + '/things"' in out
    assert "ℹ sent_again:" in out and token not in out and '"d":' not in out


def test_dpop_with_the_key_a_history_entry_keeps(tmp_path):
    from inspector.core.jose.dpop_key import DpopKey

    key = DpopKey.generate()
    storage = memory_storage(tmp_path)
    bound = {"access_token": access_token(cnf={"jkt": key.thumbprint}), "token_type": "DPoP"}
    [entry] = storage.history.add_token_response(bound, flow="client_credentials", dpop_key=key.to_private_jwk())
    with ResourceServer(jwks=jwks(), audience=AUD, schemes=("DPoP",)) as api:
        result = run_cli(storage, "call", f"{api.url}/things", "--from-history", entry.id, "--dpop", "--json")
    document = json.loads(result.out)
    assert result.code == 0 and document["status"] == 200
    assert [proof["header"]["jwk"]["x"] for proof in document["dpop_proofs"]] == [key.public_jwk["x"]]
    assert api.received[0].headers["authorization"].startswith("DPoP ")


def test_dpop_without_a_key_source_is_a_usage_error_in_words(tmp_path, capsys):
    storage = memory_storage(tmp_path)
    entry = storage.history.add(access_token(), kind="access")
    result = run_cli(storage, "call", "https://api.example.com/x", "--from-history", entry.id, "--dpop")
    assert result.code == 2 and f"the history entry {entry.id} keeps no DPoP key" in result.err
    storage.profiles.add(Profile(name="plain", issuer="https://op.example"))
    result = run_cli(storage, "call", "https://api.example.com/x", "--token", "abc", "--dpop", "--profile", "plain")
    assert result.code == 2 and "The profile 'plain' keeps no DPoP key" in result.err
    code, _, err = call(capsys, "https://api.example.com/x", "--token", "abc", "--dpop")
    assert code == 2 and "--dpop needs the private key the token is bound to" in err and "--dpop-key FILE" in err
    code, _, err = call(capsys, "https://api.example.com/x", "--dpop-key", "/nonexistent.jwk")
    assert code == 2 and "no token was given" in err


def test_a_dpop_key_file_that_is_not_a_private_key_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "public.jwk"
    path.write_text(json.dumps({"kty": "EC", "crv": "P-256", "x": "abc", "y": "def"}))
    code, _, err = call(capsys, "https://api.example.com/x", "--token", "abc", "--dpop-key", str(path))
    assert code == 2 and "The DPoP key cannot be used" in err and "no private part" in err
