"""``flow token-exchange``, ``flow jwt-bearer`` and ``--resource``: the command-line contract."""

import io
import json
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser, main
from inspector.core.flows.context import FlowEnvironment
from tests.support.fake_provider import ISSUER, FakeProvider

URN = "urn:ietf:params:oauth:token-type:"
SECRET = "cli-Secret-value-0123456789"


def run(provider, *argv):
    out = io.StringIO()
    args = build_parser("flow").parse_args([*argv, "--issuer", ISSUER, "--client-id", "svc", "--no-history", "--json"])
    code = flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def sent(provider):
    return parse_qs(provider.calls[-1].content.decode())


def key_file(tmp_path, key):
    path = tmp_path / "assertion.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return str(path)


def test_token_exchange_reads_the_subject_token_from_stdin_and_takes_short_type_names(monkeypatch):
    provider = FakeProvider()
    provider.on("/token", httpx.Response(200, json={
        "access_token": "new-" + "n" * 30, "token_type": "N_A", "issued_token_type": URN + "access_token"}))
    monkeypatch.setattr("sys.stdin", io.StringIO("-subject-from-stdin\n"))
    code, lines = run(provider, "token-exchange", "--client-secret", SECRET, "--subject-token", "-",
                      "--subject-token-type", "access_token", "--actor-token", "actor-" + "a" * 20,
                      "--actor-token-type", URN + "jwt", "--audience", "billing", "--resource", "https://a.example",
                      "--resource", "https://b.example", "--requested-token-type", "access_token", "--scope", "s")
    assert code == 0
    form = sent(provider)
    assert form["subject_token"] == ["-subject-from-stdin"] and form["subject_token_type"] == [URN + "access_token"]
    assert form["actor_token_type"] == [URN + "jwt"] and form["audience"] == ["billing"]
    assert form["resource"] == ["https://a.example", "https://b.example"]
    assert form["requested_token_type"] == [URN + "access_token"]
    assert lines[1]["issued_token_type"] == URN + "access_token"
    assert "-subject-from-stdin" not in json.dumps(lines) and SECRET not in json.dumps(lines)


def test_token_exchange_error_codes_exit_1_with_a_finding():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_target"}))
    code, lines = run(provider, "token-exchange", "--client-secret", SECRET, "--subject-token", "t" * 20,
                      "--audience", "unknown")
    assert code == 1
    assert lines[1]["error"] == "invalid_target"
    finding = lines[1]["findings"][0]
    assert "does not know a requested resource or audience" in finding["message"]
    assert finding["advice"].startswith("Check the resource (and the audience)") and finding["settings"] == ["resource"]


def test_token_exchange_usage_errors_are_plain(capsys):
    base = ["flow", "token-exchange", "--issuer", ISSUER, "--client-id", "c", "--subject-token", "x" * 20]
    assert main([*base, "--subject-token-type", "accesstoken"]) == 2
    assert "--subject-token-type 'accesstoken' is neither a token type URN" in capsys.readouterr().err
    assert main([*base, "--actor-token", "y" * 20]) == 2
    assert "An actor token needs its type: set --actor-token-type" in capsys.readouterr().err
    assert main([*base, "--resource", "https://a.example#x"]) == 2
    assert "--resource 'https://a.example#x' has a fragment" in capsys.readouterr().err
    assert main(["flow", "token-exchange", "--issuer", ISSUER, "--client-id", "c"]) == 2
    assert "--subject-token" in capsys.readouterr().err


@pytest.mark.parametrize("key, alg", [(ec.generate_private_key(ec.SECP384R1()), "ES384"),
                                      (rsa.generate_private_key(65537, 2048), "RS256")], ids=["p384", "rsa"])
def test_jwt_bearer_signs_with_the_assertion_key_and_takes_claims(tmp_path, key, alg):
    provider = FakeProvider()
    code, lines = run(provider, "jwt-bearer", "--assertion-key", key_file(tmp_path, key),
                      "--assertion-claim", "sub=12345", "--assertion-claim", 'roles=["a","b"]')
    assert code == 0, lines
    assertion = sent(provider)["assertion"][0]
    claims = jwt.decode(assertion, key.public_key(), algorithms=[alg], audience=f"{ISSUER}/token")
    assert claims["iss"] == "svc" and claims["sub"] == "12345" and claims["roles"] == ["a", "b"]
    assert lines[1]["assertion_header"]["alg"] == alg and lines[1]["assertion_claims"]["sub"] == "12345"
    assert assertion not in json.dumps(lines)


def test_jwt_bearer_refuses_an_assertion_over_an_hour_in_words(tmp_path):
    provider = FakeProvider()
    code, lines = run(provider, "jwt-bearer", "--assertion-key", key_file(tmp_path, ec.generate_private_key(
        ec.SECP256R1())), "--assertion-claim", "exp=99999999999")
    assert code == 1
    assert [f["code"] for f in lines[1]["findings"]] == ["assertion_lifetime_too_long"]
    assert "/token" not in provider.paths()


def test_jwt_bearer_sends_a_given_assertion_and_refuses_claims_beside_it(capsys):
    provider = FakeProvider()
    given = jwt.encode({"iss": "x", "sub": "y", "aud": "z", "exp": 1}, "k" * 32, algorithm="HS256")
    code, _lines = run(provider, "jwt-bearer", "--assertion", given)
    assert code == 0 and sent(provider)["assertion"] == [given]
    assert main(["flow", "jwt-bearer", "--issuer", ISSUER, "--client-id", "c", "--assertion", given,
                 "--assertion-claim", "sub=u"]) == 2
    assert "Give one or the other" in capsys.readouterr().err
    assert main(["flow", "jwt-bearer", "--issuer", ISSUER, "--client-id", "c", "--assertion", given,
                 "--assertion-key", "k.pem"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_resource_is_offered_by_the_flows_that_send_it():
    provider = FakeProvider()
    code, _lines = run(provider, "client-credentials", "--client-secret", SECRET, "--resource", "urn:api")
    assert code == 0 and sent(provider)["resource"] == ["urn:api"]
    for command in ("auth-code", "refresh", "token-exchange", "client-credentials"):
        assert "--resource" in build_parser("flow")._subparsers._group_actions[0].choices[command].format_help()
    for command in ("device", "jwt-bearer"):
        assert "--resource" not in build_parser("flow")._subparsers._group_actions[0].choices[command].format_help()
