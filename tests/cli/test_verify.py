"""``token-inspector verify``: the JSON contract, exit codes, key sources, and no traceback."""

import io
import json
import subprocess
import threading
from contextlib import redirect_stderr, redirect_stdout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings

from inspector.cli.main import main
from inspector.cli.verify import fetch_remote_keys
from inspector.core.errors import KeySourceError
from inspector.core.jose.b64 import b64url_encode
from tests.support import keys as test_keys
from tests.support.fake_provider import FakeProvider
from tests.support.fuzz import any_bytes, any_text
from tests.support.jose import compact, sign
from tests.support.slow_server import SlowServer

NOW = 1_800_000_000
CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "aud": "web-app", "iat": NOW - 60, "exp": NOW + 600,
          "nonce": "n-0S6"}


def id_token(claims=CLAIMS, kid="k1"):
    return sign(claims, test_keys.rsa_private(), "RS256", kid=kid)


@pytest.fixture
def jwks_file(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [test_keys.public_jwk(test_keys.rsa_private(), kid="k1")]}))
    return str(path)


@pytest.fixture
def pem_file(tmp_path):
    path = tmp_path / "key.pem"
    path.write_bytes(test_keys.certificate_pem(test_keys.rsa_private()))
    return str(path)


def verify_json(capsys, *args):
    code = main(["verify", *args, "--json", "--now", str(NOW)])
    return code, json.loads(capsys.readouterr().out)


def test_valid_token_json_contract(capsys, jwks_file):
    code, data = verify_json(capsys, id_token(), "--jwks", jwks_file, "--aud", "web-app", "--iss",
                             "https://issuer.example", "--nonce", "n-0S6", "--client-id", "web-app", "--alg", "RS256")
    assert code == 0
    assert data["valid"] is True and data["key"] == {"kid": "k1", "kty": "RSA"}
    assert data["header"] == {"alg": "RS256", "kid": "k1", "typ": "JWT"} and data["claims"] == CLAIMS
    assert all(set(f) <= {"code", "severity", "message", "claim"} for f in data["findings"])
    assert {f["severity"] for f in data["findings"]} <= {"info"}


def test_invalid_token_exits_1_with_every_finding(capsys, jwks_file):
    claims = {**CLAIMS, "exp": NOW, "iss": "https://evil.example", "nonce": "replayed"}
    code, data = verify_json(capsys, id_token(claims), "--jwks", jwks_file, "--iss", "https://issuer.example",
                             "--aud", "api", "--nonce", "n-0S6")
    assert code == 1 and data["valid"] is False
    assert [f["code"] for f in data["findings"] if f["severity"] == "error"] == [
        "expired", "iss_mismatch", "aud_mismatch", "nonce_mismatch"]
    assert {f["claim"] for f in data["findings"] if f["severity"] == "error"} == {"exp", "iss", "aud", "nonce"}


def test_missing_key_source_is_a_finding_not_a_usage_error(capsys):
    code, data = verify_json(capsys, id_token())
    assert code == 1 and [f["code"] for f in data["findings"]] == ["key_not_found"] and data["key"] is None


def test_pem_certificate_and_secret_sources(capsys, pem_file):
    assert verify_json(capsys, id_token(), "--key", pem_file)[0] == 0
    token = sign(CLAIMS, test_keys.HS256_SECRET, "HS256")
    code, data = verify_json(capsys, token, "--secret", test_keys.HS256_SECRET.decode())
    assert code == 0 and data["key"] == {"kid": None, "kty": "oct"}


def test_alg_allow_list_and_key_family(capsys, jwks_file):
    code, data = verify_json(capsys, id_token(), "--jwks", jwks_file, "--alg", "ES256")
    assert code == 1 and [f["code"] for f in data["findings"]] == ["alg_not_allowed"]


def test_leeway_and_now(capsys, jwks_file):
    token = id_token({**CLAIMS, "exp": NOW - 20})
    assert verify_json(capsys, token, "--jwks", jwks_file)[0] == 1
    assert verify_json(capsys, token, "--jwks", jwks_file, "--leeway", "30")[0] == 0


def test_access_token_and_code_hashes(capsys, jwks_file):
    from inspector.core.jose.claim_checks import left_half_hash

    claims = {**CLAIMS, "at_hash": left_half_hash("AT", "RS256"), "c_hash": left_half_hash("CODE", "RS256")}
    assert verify_json(capsys, id_token(claims), "--jwks", jwks_file, "--access-token", "AT", "--code", "CODE")[0] == 0
    code, data = verify_json(capsys, id_token(claims), "--jwks", jwks_file, "--access-token", "X", "--code", "Y")
    assert code == 1 and [f["code"] for f in data["findings"] if f["severity"] == "error"] == [
        "at_hash_mismatch", "c_hash_mismatch"]


@pytest.mark.parametrize("text", ["", "a.b.c", "not a token"])
def test_unparseable_token_exits_2(capsys, text, jwks_file):
    code, data = verify_json(capsys, text, "--jwks", jwks_file)
    assert code == 2 and data == {"error": {"code": "malformed", "message": data["error"]["message"]}}


@pytest.mark.parametrize(
    ("make_source", "message"),
    [(lambda tmp: ["--key", str(tmp / "missing.pem")], "Cannot read the key file"),
     (lambda tmp: ["--jwks", str(tmp)], "Cannot read the key file"),
     (lambda tmp: ["--secret", ""], "empty"),
     (lambda tmp: ["--key", str(_write(tmp / "bad.pem", b"\xff\xfe"))], "not text"),
     (lambda tmp: ["--jwks", str(_write(tmp / "bad.json", b'{"keys": 1}'))], "no \"keys\" array")],
)
def test_unreadable_key_source_exits_2(capsys, tmp_path, make_source, message):
    code, data = verify_json(capsys, id_token(), *make_source(tmp_path))
    assert code == 2 and data["error"]["code"] == "key_source" and message in data["error"]["message"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_human_output(capsys, jwks_file):
    assert main(["verify", id_token(), "--jwks", jwks_file, "--aud", "web-app", "--now", str(NOW)]) == 0
    out = capsys.readouterr().out
    assert "signature_valid" in out and "VALID: Signature valid (RS256, key 'k1'). Checked: exp/nbf/iat, audience." in out
    assert main(["verify", id_token(), "--now", str(NOW)]) == 1
    out = capsys.readouterr().out
    assert "key_not_found" in out and "NOT VALID: Not valid: 1 error." in out


def test_verify_text_says_what_was_not_checked_instead_of_claiming_every_check_passed(capsys, jwks_file):
    assert main(["verify", id_token(), "--jwks", jwks_file, "--now", str(NOW)]) == 0
    verdict = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert "every requested check passed" not in verdict
    assert verdict == ("VALID: Signature valid (RS256, key 'k1'). Checked: exp/nbf/iat. Not checked: issuer, "
                       "audience, nonce, client id (azp, required ID token claims). Give --iss, --aud, --nonce, "
                       "--client-id to check them.")


def test_verify_json_lists_what_was_and_was_not_checked(capsys, jwks_file):
    _code, data = verify_json(capsys, id_token(), "--jwks", jwks_file, "--iss", "https://issuer.example")
    assert data["checked"] == ["signature", "times", "issuer"]
    assert data["not_checked"] == ["audiences", "nonce", "client_id"]


def test_usage_error_exits_2(capsys):
    assert main(["verify"]) == 2
    assert main(["verify", "x", "--leeway", "soon"]) == 2
    capsys.readouterr()


# --- remote keys ------------------------------------------------------------------------------

def test_fetch_remote_keys_via_discovery():
    provider = FakeProvider()
    provider.on("/jwks", lambda request: __import__("httpx").Response(
        200, json={"keys": [test_keys.public_jwk(test_keys.rsa_private(), kid="k1")]}))
    keys = fetch_remote_keys(None, provider.issuer, timeout=5, ca_bundle=None, transport=provider.transport())
    assert [k.kid for k in keys] == ["k1"]
    assert provider.paths() == ["/.well-known/openid-configuration", "/jwks"]


def test_fetch_remote_keys_errors_are_key_source_errors():
    provider = FakeProvider()
    with pytest.raises(KeySourceError, match="Cannot get the JWKS"):
        fetch_remote_keys(None, provider.issuer, timeout=5, ca_bundle=None, transport=provider.transport())
    provider.metadata["issuer"] = "https://someone-else.example"
    with pytest.raises(KeySourceError, match="Cannot get the keys of issuer"):
        fetch_remote_keys(None, provider.issuer, timeout=5, ca_bundle=None, transport=provider.transport())


class _KeyServer(BaseHTTPRequestHandler):
    documents: dict[str, bytes] = {}
    requests: list[str] = []
    raw: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.requests.append(self.path)
        self.raw.append(self.requestline + "\n" + str(self.headers))
        body = self.documents.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body or b'{"error": "not_found"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def key_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _KeyServer)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    _KeyServer.requests, _KeyServer.raw = [], []
    _KeyServer.documents = {
        "/.well-known/openid-configuration": json.dumps({
            "issuer": issuer, "jwks_uri": f"{issuer}/jwks", "authorization_endpoint": f"{issuer}/auth",
            "token_endpoint": f"{issuer}/token", "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]}).encode(),
        "/jwks": json.dumps({"keys": [test_keys.public_jwk(test_keys.rsa_private(), kid="k1")]}).encode(),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield issuer
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_issuer_alone_fetches_discovery_and_jwks_and_expects_iss(capsys, key_server):
    code, data = verify_json(capsys, id_token({**CLAIMS, "iss": key_server}), "--issuer", key_server)
    assert code == 0 and data["key"]["kid"] == "k1"
    assert _KeyServer.requests == ["/.well-known/openid-configuration", "/jwks"]
    code, data = verify_json(capsys, id_token(), "--issuer", key_server)
    assert code == 1 and [f["code"] for f in data["findings"] if f["severity"] == "error"] == ["iss_mismatch"]


def test_verify_never_sends_the_token_to_the_issuer_or_the_jwks_host(capsys, key_server):
    """Fetching keys is GETs of discovery and the JWKS: the token (or any part of it) is no
    query parameter, header or body of them."""
    token = id_token({**CLAIMS, "iss": key_server})
    assert verify_json(capsys, token, "--issuer", key_server)[0] == 0
    assert verify_json(capsys, token, "--jwks", f"{key_server}/jwks")[0] == 0
    assert len(_KeyServer.raw) == 3
    for part in token.split("."):
        assert not any(part in raw for raw in _KeyServer.raw)


def test_jwks_url(capsys, key_server):
    assert verify_json(capsys, id_token(), "--jwks", f"{key_server}/jwks")[0] == 0


def test_unreachable_key_source_exits_2(capsys, key_server, unused_tcp_port):
    code, data = verify_json(capsys, id_token(), "--jwks", f"http://127.0.0.1:{unused_tcp_port}/jwks",
                             "--timeout", "5")
    assert code == 2 and data["error"]["code"] == "key_source" and "Could not reach" in data["error"]["message"]
    code, data = verify_json(capsys, id_token(), "--jwks", f"{key_server}/missing")
    assert code == 2 and "Cannot get the JWKS" in data["error"]["message"]


def test_header_jku_points_nowhere_we_fetch(capsys, key_server, jwks_file):
    attacker = test_keys.rsa_private(5)
    _KeyServer.documents["/evil"] = json.dumps({"keys": [test_keys.public_jwk(attacker)]}).encode()
    token = sign(CLAIMS, attacker, "RS256", jku=f"{key_server}/evil", x5u=f"{key_server}/evil")
    code, data = verify_json(capsys, token, "--jwks", jwks_file)
    assert code == 1 and _KeyServer.requests == []
    assert [f["code"] for f in data["findings"]] == ["header_key_ignored", "header_key_ignored", "bad_signature"]


def test_psychic_signature_through_the_cli(capsys, tmp_path):
    path = tmp_path / "ec.pem"
    path.write_bytes(test_keys.public_pem(test_keys.ec_private()))
    token = compact({"alg": "ES256"}, CLAIMS, b64url_encode(bytes(64)))
    code, data = verify_json(capsys, token, "--key", str(path))
    assert code == 1 and [f["code"] for f in data["findings"]] == ["bad_signature"]


@settings(max_examples=150, deadline=None)
@given((any_text | any_bytes).filter(lambda text: text != "-"))  # '-' reads stdin: tested by subprocess
def test_verify_cli_property_only_documented_outcomes(text):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["verify", "--json", "--secret", test_keys.HS256_SECRET.decode(), "--now", str(NOW), "--", text])
    data = json.loads(out.getvalue())
    assert err.getvalue() == ""
    if code == 2:
        assert data["error"]["code"] == "malformed"
    else:
        assert code == 1 and data["valid"] is False and set(data) == {"valid", "header", "claims", "key", "checked",
                                                                      "not_checked", "findings"}


CONSOLE_SCRIPT = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "token-inspector"


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="needs `pip install -e .` (bootstrap.sh does it)")
@pytest.mark.parametrize(
    ("payload", "returncode"),
    [({"blob": "x" * 200_000, "exp": NOW + 60}, 0), (b"[" * 200_000, 1), (b"\xff\xfe{}", 1)],
)
def test_console_script_big_nested_and_non_utf8_via_stdin(tmp_path, payload, returncode):
    from jwt.algorithms import HMACAlgorithm

    head = b64url_encode(b'{"alg":"HS256"}')
    body = b64url_encode(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    tag = HMACAlgorithm(HMACAlgorithm.SHA256).sign(f"{head}.{body}".encode(), test_keys.HS256_SECRET)
    result = subprocess.run(
        [str(CONSOLE_SCRIPT), "verify", "-", "--secret", test_keys.HS256_SECRET.decode(), "--json", "--now", str(NOW)],
        input=f"{head}.{body}.{b64url_encode(tag)}\n".encode(), capture_output=True, timeout=60)
    assert result.returncode == returncode and result.stderr == b""
    data = json.loads(result.stdout)
    assert data["key"] == {"kid": None, "kty": "oct"}
    assert [f["code"] for f in data["findings"] if f["severity"] == "error"] == ([] if returncode == 0 else ["malformed"])


def test_a_plain_http_jwks_url_off_loopback_is_refused_before_any_request(capsys):
    """A discovered http jwks_uri off loopback was refused but one given with --jwks was fetched in
    clear, so anyone on the path could supply the keys that make a forged token valid."""
    provider = FakeProvider("http://op.example")
    with pytest.raises(KeySourceError, match="plain http off loopback"):
        fetch_remote_keys("http://op.example/jwks", None, timeout=5, ca_bundle=None, transport=provider.transport())
    assert provider.calls == []
    code, data = verify_json(capsys, id_token(), "--jwks", "http://op.example/jwks")
    assert code == 2 and data["error"]["code"] == "key_source" and "--jwks FILE" in data["error"]["hint"]


# --- keeping the shared secret off the command line (where `ps` shows it to every user) -----------

def hs256_token():
    return sign(CLAIMS, test_keys.HS256_SECRET, "HS256")


def test_verify_secret_can_be_kept_off_the_command_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TI_TEST_SECRET", test_keys.HS256_SECRET.decode())
    assert verify_json(capsys, hs256_token(), "--secret-env", "TI_TEST_SECRET")[0] == 0
    secret_file = _write(tmp_path / "secret.txt", test_keys.HS256_SECRET + b"\n")
    code, data = verify_json(capsys, hs256_token(), "--secret-file", str(secret_file))
    assert code == 0 and data["key"] == {"kid": None, "kty": "oct"}


def test_help_says_the_secret_option_is_visible_to_other_users(capsys):
    assert main(["verify", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Visible to other users of this machine (ps)" in text and "--secret-env VAR" in text
    assert "--secret-file FILE" in text


def test_secret_options_are_mutually_exclusive(capsys, tmp_path):
    code = main(["verify", hs256_token(), "--secret", "s", "--secret-file", str(tmp_path / "f")])
    assert code == 2 and "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("make_source", "message"),
    [(lambda tmp: ["--secret-env", "TI_TEST_UNSET_VARIABLE"], "TI_TEST_UNSET_VARIABLE is not set or empty"),
     (lambda tmp: ["--secret-env", "TI_TEST_EMPTY_VARIABLE"], "TI_TEST_EMPTY_VARIABLE is not set or empty"),
     (lambda tmp: ["--secret-file", str(tmp / "missing")], "Cannot read the secret file"),
     (lambda tmp: ["--secret-file", str(_write(tmp / "empty", b"\n"))], "empty' is empty"),
     (lambda tmp: ["--secret-file", str(tmp)], "it is a directory, not a regular file"),
     (lambda tmp: ["--secret-file", str(_write(tmp / "big", b"s" * 70_000))], "more than the 65,536")],
    ids=["unset-variable", "empty-variable", "missing-file", "empty-file", "directory", "too-large"],
)
def test_unusable_secret_variable_or_file_exits_2(capsys, tmp_path, monkeypatch, make_source, message):
    monkeypatch.delenv("TI_TEST_UNSET_VARIABLE", raising=False)
    monkeypatch.setenv("TI_TEST_EMPTY_VARIABLE", "")
    code, data = verify_json(capsys, hs256_token(), *make_source(tmp_path))
    assert code == 2 and data["error"]["code"] == "key_source" and message in data["error"]["message"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_secret_file_dev_zero_stops_at_the_limit_instead_of_hanging(capsys):
    code, data = verify_json(capsys, hs256_token(), "--secret-file", "/dev/zero")
    assert code == 2 and "more than the 65,536 bytes" in data["error"]["message"]


def test_access_token_for_at_hash_can_come_from_a_file(capsys, tmp_path, jwks_file):
    from inspector.core.jose.claim_checks import left_half_hash

    token = id_token({**CLAIMS, "at_hash": left_half_hash("AT-secret", "RS256")})
    access_token = _write(tmp_path / "at.txt", b"AT-secret\n")
    assert verify_json(capsys, token, "--jwks", jwks_file, "--access-token-file", str(access_token))[0] == 0
    code, data = verify_json(capsys, token, "--jwks", jwks_file, "--access-token-file", str(tmp_path / "none"))
    assert code == 2 and "Cannot read the access token file" in data["error"]["message"]


def test_trickled_jwks_is_cut_at_the_timeout_and_is_exit_2(capsys):
    """``verify --jwks URL --timeout 5`` ran past 90 s against a JWKS trickled a byte at a time."""
    codes = []
    with SlowServer("trickle") as server:
        argv = ["verify", id_token(), "--jwks", f"{server.url}/jwks", "--timeout", "1", "--json"]
        thread = threading.Thread(target=lambda: codes.append(main(argv)), daemon=True)
        thread.start()
        thread.join(30)  # 30 times the timeout: only an unbounded read is still going
        assert codes == [2], "the JWKS was still being read"
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "key_source" and "did not finish within the 1 s timeout" in error["message"]


def test_an_endless_jwks_is_response_too_large():
    provider = FakeProvider()
    provider.on("/jwks", lambda request: httpx.Response(200, headers={"content-type": "application/json"},
                                                        content=iter(lambda: b" " * 65536, None)))
    with pytest.raises(KeySourceError, match="larger than 4 MiB"):
        fetch_remote_keys(f"{provider.issuer}/jwks", None, timeout=5, ca_bundle=None, transport=provider.transport())
