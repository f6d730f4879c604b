import ssl

import httpx

from inspector.core.protocol.http import make_client, send
from inspector.core.redact import MASK


def _client(handler):
    return make_client(timeout=5, transport=httpx.MockTransport(handler))


def test_exchange_records_request_and_response_with_secrets_masked():
    def handler(request):
        return httpx.Response(200, json={"access_token": "a" * 40, "token_type": "Bearer"},
                              headers={"Set-Cookie": "sid=secret"})

    result = send(_client(handler), "POST", "https://op.example/token",
                  data={"grant_type": "client_credentials", "client_secret": "s3cr3t"},
                  headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert result.ok
    recorded = result.exchange.to_json()
    assert recorded["request"]["headers"]["authorization"] == MASK
    assert recorded["request"]["params"]["client_secret"] == MASK
    assert recorded["response"]["status"] == 200
    assert recorded["response"]["headers"]["set-cookie"] == MASK
    assert recorded["response"]["body"]["access_token"].startswith("aaaaaa…")
    assert "s3cr3t" not in repr(result.exchange) and "Zm9vOmJhcg" not in repr(result.exchange)
    assert result.exchange.to_json(show_tokens=True)["response"]["body"]["access_token"] == "a" * 40


def test_query_parameters_are_recorded_as_params():
    result = send(_client(lambda r: httpx.Response(200, text="ok")), "GET", "https://op.example/x?a=1&b=")
    assert result.exchange.params == {"a": "1", "b": ""}
    assert result.exchange.body == "ok"


def test_timeout_becomes_a_timeout_finding():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    result = send(_client(handler), "GET", "https://op.example/slow")
    assert result.response is None
    assert result.finding.code == "timeout"
    assert "--timeout" in result.finding.message


def test_connection_refused_becomes_network_error():
    def handler(request):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    result = send(_client(handler), "GET", "https://op.example/")
    assert result.finding.code == "network_error"
    assert result.exchange.error == "network_error"


def test_certificate_failure_names_the_problem_and_the_fix():
    def handler(request):
        cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
        cause.verify_message = "self-signed certificate in certificate chain"
        raise httpx.ConnectError("certificate verify failed", request=request) from cause

    result = send(_client(handler), "GET", "https://op.example/")
    assert result.finding.code == "tls_error"
    assert "self-signed certificate" in result.finding.message
    assert "--ca-bundle" in result.finding.message


def test_real_connection_refused_on_a_closed_port(unused_tcp_port):
    client = make_client(timeout=5)
    result = send(client, "GET", f"http://127.0.0.1:{unused_tcp_port}/")
    assert result.finding.code == "network_error"


def test_bad_ca_bundle_is_a_clear_error(tmp_path):
    import pytest

    from inspector.core.errors import ProtocolError

    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate")
    with pytest.raises(ProtocolError, match="CA bundle"):
        make_client(timeout=5, ca_bundle=str(bundle))


def test_a_request_that_cannot_be_built_is_an_invalid_request_finding_with_nothing_sent():
    sent = []
    client = _client(lambda request: sent.append(request) or httpx.Response(200))
    bad_url = send(client, "GET", "http://[::1/jwks")
    bad_header = send(client, "GET", "https://op.example/userinfo", headers={"Authorization": "Bearer at-abc…"})
    assert [bad_url.finding.code, bad_header.finding.code] == ["invalid_request", "invalid_request"]
    assert "plain ASCII" in bad_header.finding.message and sent == []
    assert bad_header.exchange.request_headers["Authorization"] == MASK


def test_a_password_or_secret_in_the_url_is_masked_in_the_record_and_in_transport_messages():
    """The URL itself was recorded (and echoed by timeout/network messages) as given, with
    https://user:password@host/… or ?client_secret=… in clear."""
    url = "https://svc:pa55word@op.example/jwks?client_secret=s3cr3t&kid=1"
    sent = []

    def handler(request):
        sent.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    result = send(_client(handler), "GET", url)
    assert result.exchange.url == f"https://svc:{MASK}@op.example/jwks?client_secret={MASK}&kid=1"
    assert "pa55word" not in result.finding.message and "s3cr3t" not in result.finding.message
    assert "s3cr3t" not in str(result.exchange.to_json())
    assert sent[0].url.params["client_secret"] == "s3cr3t"  # what is sent is unchanged

    def refuse(request):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    refused = send(_client(refuse), "GET", url)
    assert "pa55word" not in refused.finding.message and "op.example" in refused.finding.message
