import os
import ssl
import threading

import httpx
import pytest

from inspector.core.errors import ProtocolError
from inspector.core.protocol.http import make_client, send
from inspector.core.redact import MASK
from tests.support.slow_server import SlowServer, blocked_reading


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
    assert result.finding.advice.settings == ("timeout",)  # worded per front end: see below


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


def _bounded(action, bound=30):
    """Run ``action`` on a thread; its result (or the exception it raised), or None if it is still
    running after ``bound`` s (far beyond the timeouts below: only an unbounded request gets there)."""
    results = []

    def run():
        try:
            results.append(action())
        except Exception as exc:
            results.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(bound)
    return results[0] if results else None


def test_trickled_body_is_cut_at_the_overall_timeout():
    """httpx's timeout is per read: a byte every 50 ms kept the request going for ever."""
    with SlowServer("trickle") as server:
        result = _bounded(lambda: send(make_client(timeout=1), "GET", server.url + "/jwks"))
    assert result is not None, "the trickled body was still being read"
    assert result.finding.code == "timeout" and "within the 1 s timeout" in result.finding.message
    assert result.exchange.status == 200 and result.exchange.error == "timeout"


def test_trickled_headers_are_cut_at_the_overall_timeout():
    with SlowServer("trickle_headers") as server:
        result = _bounded(lambda: send(make_client(timeout=1), "GET", server.url + "/jwks"))
    assert result is not None, "the trickled headers were still being read"
    assert result.finding.code == "timeout" and result.exchange.status is None


def test_endless_body_from_a_real_server_is_response_too_large():
    with SlowServer("endless") as server:
        result = _bounded(lambda: send(make_client(timeout=20), "GET", server.url + "/jwks"))
    assert result is not None and result.finding.code == "response_too_large"


def test_a_cancel_aborts_a_request_blocked_on_a_real_socket():
    """Cancel closes the client; closing a socket does not wake a thread blocked reading it, so
    the request went on until its read timeout. The client now shuts its sockets down first."""
    with SlowServer("silent") as server:
        client = make_client(timeout=600)
        results = []
        thread = threading.Thread(target=lambda: results.append(send(client, "GET", server.url + "/jwks")), daemon=True)
        thread.start()
        assert server.answering.wait(10) and blocked_reading(thread)
        client.close()
        thread.join(30)  # 20 times less than the request's own timeout
        assert results, "the request outlived the cancel"
    assert results[0].finding.code == "cancelled"


def test_a_client_stays_usable_after_a_deadline_shut_its_sockets():
    client = make_client(timeout=1)
    with SlowServer("silent") as server:
        assert _bounded(lambda: send(client, "GET", server.url + "/")).finding.code == "timeout"
    again = send(client, "GET", "http://127.0.0.1:1/")  # a new connection, refused at once
    assert again.finding.code == "network_error"


def test_a_fifo_as_ca_bundle_is_refused_without_blocking(tmp_path):
    """A profile's CA bundle path reaches make_client from the GUI and flows: OpenSSL opening a
    FIFO waited for a writer for ever."""
    fifo = tmp_path / "ca.pem"
    os.mkfifo(fifo)
    outcome = _bounded(lambda: make_client(timeout=5, ca_bundle=str(fifo)), bound=10)
    if outcome is None:  # blocked on the FIFO: release it so the thread ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert isinstance(outcome, ProtocolError) and "not a regular file" in str(outcome)


def test_the_timeout_advice_names_the_timeout_per_front_end():
    """'raise --timeout' was written into the finding, so the desktop app showed a command-line flag."""
    from inspector.cli.setting_names import flag_namer

    client = make_client(timeout=1)
    with SlowServer("silent") as server:
        finding = _bounded(lambda: send(client, "GET", server.url + "/")).finding
    assert "--timeout" not in finding.message and finding.advice.settings == ("timeout",)
    assert finding.text(flag_namer()).endswith("raise --timeout SECONDS if the server is just slow.")
    assert finding.text().endswith("raise the timeout if the server is just slow.")
    assert finding.to_json()["settings"] == ["timeout"]
