"""The flow CLI's contract: failure shapes become findings with exit 1 and no traceback, JSON
lines, secrets never printed, values beginning with '-' accepted."""

import io
import json
import ssl

import httpx
import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser, main
from inspector.core.flows.context import FlowEnvironment
from tests.support.fake_provider import ISSUER, FakeProvider

SECRET = "SUPER-secret-value-42"


def run_flow(provider, *extra, as_json=True):
    out = io.StringIO()
    args = build_parser("flow").parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "svc",
                                            "--client-secret", SECRET, *extra, *(["--json"] if as_json else [])])
    code = flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out)
    text = out.getvalue()
    lines = [json.loads(line) for line in text.splitlines()] if as_json else []
    return code, lines, text


def raising(exc_factory):
    def handler(request):
        if request.url.path == "/token":
            raise exc_factory(request)
        return httpx.Response(200, json=FakeProvider().metadata)

    return handler


def tls_failure(request):
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cause.verify_message = "certificate has expired"
    error = httpx.ConnectError("certificate verify failed", request=request)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "answer, code",
    [
        (httpx.Response(400, json={"error": "invalid_scope", "error_description": "no"}), "token_error"),
        (httpx.Response(200, text="<html><body>Sign in</body></html>", headers={"content-type": "text/html"}),
         "invalid_response"),
        (httpx.Response(200, text='{"access_token": "x",', headers={"content-type": "application/json"}),
         "invalid_response"),
        (httpx.Response(500, text="Internal Server Error"), "server_error"),
        (httpx.Response(502, json={"message": "bad gateway"}), "server_error"),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("timed out", request=r)), "timeout"),
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("[Errno 111] Connection refused", request=r)),
         "network_error"),
        (lambda r: (_ for _ in ()).throw(tls_failure(r)), "tls_error"),
        (lambda r: httpx.Response(200, headers={"content-type": "application/json"},
                                  content=iter(lambda: b" " * 65536, None)), "response_too_large"),
        (httpx.Response(200, content=b"[" * 50_000 + b"]" * 50_000, headers={"content-type": "application/json"}),
         "invalid_response"),
    ],
    ids=["oauth-error", "html", "broken-json", "500", "502", "timeout", "refused", "tls", "endless-body",
         "deeply-nested-json"],
)
def test_token_endpoint_failures_are_findings_with_exit_1(answer, code, capsys):
    provider = FakeProvider()
    provider.on("/token", answer)
    exit_code, lines, _ = run_flow(provider)
    assert exit_code == 1
    token = next(line for line in lines if line["step"] == "token")
    assert token["status"] == "error"
    assert [f["code"] for f in token["findings"]] == [code]
    assert lines[-1]["step"] == "done" and lines[-1]["status"] == "error"
    assert code in [f["code"] for f in lines[-1]["findings"]]
    assert capsys.readouterr().err == ""


def test_trickled_token_response_is_a_timeout_finding_in_the_flow_record():
    """A token endpoint trickling its answer kept the token step going past 90 s with --timeout 5."""
    import threading

    from tests.support.slow_server import SlowServer

    out, codes = io.StringIO(), []
    with SlowServer("trickle") as server:
        args = build_parser("flow").parse_args(["client-credentials", "--token-endpoint", f"{server.url}/token",
                                                "--client-id", "svc", "--client-secret", SECRET, "--timeout", "1",
                                                "--no-history", "--json"])
        thread = threading.Thread(target=lambda: codes.append(flow_cli.run(args, env=FlowEnvironment(), out=out)),
                                  daemon=True)
        thread.start()
        thread.join(30)  # 30 times the timeout: only an unbounded read is still going
        assert codes == [1], "the token step was still reading the trickled answer"
    token = next(line for line in map(json.loads, out.getvalue().splitlines()) if line["step"] == "token")
    assert [f["code"] for f in token["findings"]] == ["timeout"]
    assert "within the 1 s timeout" in token["findings"][0]["message"]
    assert token["response"]["status"] == 200 and token["response"]["body"] is None and token["error"] == "timeout"


def test_token_error_carries_the_oauth_error_code():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_scope"}))
    _, lines, _ = run_flow(provider)
    assert next(line for line in lines if line["step"] == "token")["error"] == "invalid_scope"


def test_tls_error_names_the_certificate_problem_and_the_fix():
    provider = FakeProvider()
    provider.on("/token", lambda r: (_ for _ in ()).throw(tls_failure(r)))
    _, lines, _ = run_flow(provider)
    message = next(line for line in lines if line["step"] == "token")["findings"][0]["message"]
    assert "certificate has expired" in message and "--ca-bundle" in message


def test_json_lines_carry_the_full_token_and_never_the_secret():
    provider = FakeProvider()
    code, lines, text = run_flow(provider, "--scope", "read")
    assert code == 0
    assert [line["step"] for line in lines] == ["discovery", "token", "api_call", "done"]
    token = lines[1]
    assert token["token"]["access_token"] == "at-" + "x" * 40
    assert token["request"]["headers"]["authorization"] == "••••••"
    assert token["request"]["params"] == {"grant_type": "client_credentials", "scope": "read"}
    assert SECRET not in text
    assert provider.calls[-1].headers["authorization"].startswith("Basic ")


def test_human_output_abbreviates_and_never_prints_the_secret():
    provider = FakeProvider()
    code, _, text = run_flow(provider, "--auth-method", "client_secret_post", as_json=False)
    assert code == 0
    assert "at-" + "x" * 40 not in text and "access_token: at-xxx…(43 chars)" in text
    assert SECRET not in text
    assert "✓ token: ok" in text and "POST https://op.example/token → 200" in text
    assert provider.form()["client_secret"] == SECRET


def test_client_assertion_never_appears_in_output(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "key.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    provider = FakeProvider()
    out = io.StringIO()
    args = build_parser("flow").parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "svc",
                                            "--key", str(path), "--json"])
    assert flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out) == 0
    assertion = provider.form()["client_assertion"]
    assert assertion.count(".") == 2 and assertion not in out.getvalue()
    assert '"client_assertion": "••••••"' in out.getvalue()


def test_refresh_token_beginning_with_a_dash_works_with_equals(capsys):
    args = build_parser("flow").parse_args(["refresh", "--issuer", ISSUER, "--client-id", "c",
                                            "--refresh-token=-abc_def"])
    assert args.refresh_token == "-abc_def"
    assert main(["flow", "refresh", "--help"]) == 0
    assert "as in --refresh-token=-abc" in " ".join(capsys.readouterr().out.split())


def test_refresh_token_from_stdin(monkeypatch):
    provider = FakeProvider()
    monkeypatch.setattr("sys.stdin", io.StringIO("-rt-from-stdin\n"))
    args = build_parser("flow").parse_args(["refresh", "--issuer", ISSUER, "--client-id", "c", "--refresh-token",
                                            "-", "--json"])
    assert flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=io.StringIO()) == 0
    assert provider.form()["refresh_token"] == "-rt-from-stdin"


def test_usage_errors_exit_2_with_a_plain_message(capsys, monkeypatch):
    monkeypatch.delenv("TI_NOT_SET", raising=False)
    assert main(["flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c",
                 "--client-secret-env", "TI_NOT_SET"]) == 2
    assert "TI_NOT_SET is not set" in capsys.readouterr().err
    assert main(["flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c",
                 "--auth-method", "client_secret_basic"]) == 2
    assert "Client_secret_basic needs a client secret: set --client-secret-env VAR." in capsys.readouterr().err
    assert main(["flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c", "--key", "/nonexistent"]) == 2
    assert "Cannot read the key file" in capsys.readouterr().err
    assert main(["flow", "auth-code", "--issuer", ISSUER]) == 2
    assert "--client-id is required" in capsys.readouterr().err
    assert main(["flow", "client-credentials", "--client-id", "c"]) == 2
    assert main(["flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c", "--param", "novalue"]) == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_secret_from_environment_variable(monkeypatch):
    monkeypatch.setenv("TI_SECRET", SECRET)
    provider = FakeProvider()
    args = build_parser("flow").parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "svc",
                                            "--client-secret-env", "TI_SECRET", "--json"])
    out = io.StringIO()
    assert flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out) == 0
    assert SECRET not in out.getvalue()


def test_client_credentials_without_any_credential_is_a_usage_error(capsys):
    assert main(["flow", "client-credentials", "--issuer", ISSUER, "--client-id", "c"]) == 2
    assert "confidential clients" in capsys.readouterr().err


def test_a_refresh_token_beginning_with_dash_without_equals_gets_an_error_that_says_what_to_do(capsys):
    assert main(["flow", "refresh", "--issuer", ISSUER, "--client-id", "c", "--refresh-token", "-abc_def"]) == 2
    err = capsys.readouterr().err
    assert "--refresh-token=-abc" in err and "Traceback" not in err


def nonce_then_bound_token(request):
    if request.url.path != "/token":
        return FakeProvider().handle(request)
    if "nonce" not in json.dumps(jwt_claims(request.headers["dpop"])):
        return httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "srv-nonce-1"})
    return httpx.Response(200, json={"access_token": "at-" + "d" * 40, "token_type": "DPoP"})


def jwt_claims(token):
    import base64

    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.parametrize("as_json", [True, False])
def test_dpop_proofs_are_printed_decoded_with_the_nonce_round(as_json):
    code, lines, text = _run_with_transport(httpx.MockTransport(nonce_then_bound_token), "--dpop", "--no-history",
                                            as_json=as_json)
    assert code == 0, text
    if as_json:
        token = next(line for line in lines if line["step"] == "token")
        assert [proof["claims"].get("nonce") for proof in token["dpop_proofs"]] == [None, "srv-nonce-1"]
        assert token["dpop_proofs"][0]["header"]["typ"] == "dpop+jwt"
        assert "dpop_nonce_retry" in [finding["code"] for finding in token["findings"]]
    else:
        assert text.count("DPoP proof (request ") == 2 and '"typ": "dpop+jwt"' in text
        assert '"nonce": "srv-nonce-1"' in text and "dpop_token_type" in text


def _run_with_transport(transport, *extra, as_json=True):
    out = io.StringIO()
    args = build_parser("flow").parse_args(["client-credentials", "--issuer", ISSUER, "--client-id", "svc",
                                            "--client-secret", SECRET, *extra, *(["--json"] if as_json else [])])
    code = flow_cli.run(args, env=FlowEnvironment(transport=transport), out=out)
    text = out.getvalue()
    return code, [json.loads(line) for line in text.splitlines()] if as_json else [], text


def test_call_sends_the_access_token_to_the_api_at_the_end(tmp_path):
    provider = FakeProvider()
    provider.on("/api/me", httpx.Response(200, json={"name": "svc"}))
    code, lines, _ = run_flow(provider, "--call", f"{ISSUER}/api/me", "--call-method", "post", "--no-history")
    assert code == 0 and lines[-2]["step"] == "api_call" and lines[-2]["api"]["body"] == {"name": "svc"}
    assert provider.calls[-1].method == "POST" and provider.calls[-1].headers["authorization"].startswith("Bearer ")
    code, _, text = run_flow(provider, "--call", f"{ISSUER}/api/me", "--no-history", as_json=False)
    assert code == 0 and "✓ api_call: ok" in text and 'api: {"status": 200' in text


def test_an_api_that_refuses_the_token_makes_the_flow_exit_1():
    provider = FakeProvider()
    provider.on("/api", httpx.Response(401, headers={"www-authenticate": 'Bearer error="invalid_token"'}))
    code, lines, _ = run_flow(provider, "--call", f"{ISSUER}/api", "--no-history")
    assert code == 1 and "invalid_token" in [f["code"] for f in lines[-2]["findings"]]
