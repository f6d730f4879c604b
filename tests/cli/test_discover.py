import json
import re

import httpx

from tests.support.cli import run_cli
from tests.support.fake_provider import ISSUER, FakeProvider


from tests.support.slow_server import SlowServer
from tests.support.tls_server import TlsProvider


def test_untrusted_certificate_is_a_tls_error_naming_the_problem_and_the_fix(tmp_path):
    with TlsProvider(tmp_path) as server:
        run = run_cli("discover", server.issuer, "--timeout", "10")
    assert run.returncode == 1
    assert "tls_error" in run.stdout and re.search(r"self.signed certificate", run.stdout)
    assert "--ca-bundle" in run.stdout
    assert "Traceback" not in run.stderr


def test_ca_bundle_makes_the_same_server_trusted(tmp_path):
    with TlsProvider(tmp_path) as server:
        run = run_cli("discover", server.issuer, "--ca-bundle", str(server.cert_path), "--json", json_lines=False)
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads(run.stdout)
    assert data["status"] == "ok" and data["metadata"]["issuer"] == server.issuer


def test_connection_refused_is_a_network_error(unused_tcp_port):
    run = run_cli("discover", f"http://127.0.0.1:{unused_tcp_port}", "--json", json_lines=False)
    assert run.returncode == 1
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == ["http_loopback", "network_error"]
    assert run.stderr == ""


def test_http_issuer_off_loopback_is_refused_without_a_request():
    run = run_cli("discover", "http://op.example.invalid")
    assert run.returncode == 1 and "insecure_issuer" in run.stdout


def discover_json(capsys, document: bytes):
    """``discover ISSUER --json`` against a provider serving ``document`` as its metadata."""
    from inspector.cli import discover
    from inspector.cli.main import build_parser

    provider = FakeProvider()
    provider.on("/.well-known/openid-configuration",
                httpx.Response(200, content=document, headers={"content-type": "application/json"}))
    code = discover.run(build_parser("discover").parse_args([ISSUER, "--json"]), transport=provider.transport())
    return code, capsys.readouterr().out


def test_c1_csi_and_rtl_override_escaped_in_json(capsys):
    document = json.dumps({**FakeProvider().metadata, "service_documentation": "\x9b2J\u202eevil\u200f"},
                          ensure_ascii=False).encode()
    code, text = discover_json(capsys, document)
    assert code == 0
    assert not any(char in text for char in "\x9b\u202e\u200f")
    assert json.loads(text)["metadata"]["service_documentation"] == "\x9b2J\u202eevil\u200f"


def test_lone_surrogate_in_the_metadata_is_written_as_whole_json(capsys):
    document = json.dumps({**FakeProvider().metadata, "op_policy_uri": "x\ud800y"}).encode()  # "\\ud800" in the bytes
    code, text = discover_json(capsys, document)
    assert code == 0
    assert json.loads(text)["metadata"]["op_policy_uri"] == "x\ud800y"


def test_an_endless_discovery_document_is_response_too_large():
    """An endless body grew until MemoryError; now the document is refused past the cap."""
    with SlowServer("endless") as server:
        run = run_cli("discover", server.url, "--json", "--timeout", "20", json_lines=False)
    assert run.returncode == 1, run.stderr
    assert "response_too_large" in [f["code"] for f in json.loads(run.stdout)["findings"]]
