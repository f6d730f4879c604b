"""introspect / revoke / userinfo share one shape: a token (or '-' for stdin) and connection args."""

import io
import json

import httpx
import pytest

from inspector.cli import introspect, revoke, userinfo
from inspector.cli.main import build_parser, main
from inspector.core.flows.context import FlowEnvironment
from tests.support.fake_provider import ISSUER, FakeProvider

CLIENT = ("--issuer", ISSUER, "--client-id", "rs", "--client-secret", "rs-secret-value")


def invoke(module, name, provider, *args):
    out = io.StringIO()
    parsed = build_parser(name).parse_args(list(args))
    code = module.run(parsed, env=FlowEnvironment(transport=provider.transport()), out=out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], out.getvalue()


def test_introspect_a_token_that_begins_with_a_dash_after_double_dash():
    provider = FakeProvider()
    provider.on("/introspect", httpx.Response(200, json={"active": True}))
    code, lines, text = invoke(introspect, "introspect", provider, *CLIENT, "--json", "--", "-dash-token")
    assert code == 0
    assert provider.form()["token"] == "-dash-token"
    assert lines[1]["introspection"] == {"active": True}
    assert "rs-secret-value" not in text


def test_revoke_sends_the_hint_and_reports_revoked():
    provider = FakeProvider()
    provider.on("/revoke", httpx.Response(200))
    code, lines, _ = invoke(revoke, "revoke", provider, "tok", "--token-type-hint", "refresh_token", *CLIENT, "--json")
    assert code == 0 and lines[1]["revoked"] is True
    assert provider.form() == {"token": "tok", "token_type_hint": "refresh_token"}


def test_userinfo_needs_no_client_and_reads_stdin(monkeypatch):
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(200, json={"sub": "ann"}))
    monkeypatch.setattr("sys.stdin", io.StringIO("at-from-stdin\n"))
    code, lines, _ = invoke(userinfo, "userinfo", provider, "-", "--issuer", ISSUER, "--json")
    assert code == 0 and lines[1]["claims"] == {"sub": "ann"}
    assert provider.calls[-1].headers["authorization"] == "Bearer at-from-stdin"


def test_userinfo_failure_exits_1(capsys):
    provider = FakeProvider()
    provider.on("/userinfo", httpx.Response(500, text="oops"))
    code, lines, _ = invoke(userinfo, "userinfo", provider, "at", "--issuer", ISSUER, "--json")
    assert code == 1 and lines[-1]["status"] == "error"
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["introspect", "revoke", "userinfo"])
def test_help_explains_stdin_and_dash_values(command, capsys):
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "- to read it from standard input" in text and "goes after --" in text


def test_empty_stdin_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["introspect", "-", *CLIENT]) == 2
    assert "No token on standard input" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["introspect", "revoke", "userinfo"])
def test_a_token_beginning_with_dash_before_double_dash_gets_an_error_that_says_what_to_do(command, capsys):
    assert main([command, "-abc_def", *CLIENT]) == 2
    err = capsys.readouterr().err
    assert "required: TOKEN" in err and "goes after --" in err and "Traceback" not in err


def test_a_shortened_token_is_a_usage_error_that_keeps_the_casing_of_what_it_names(capsys):
    assert main(["userinfo", "eyJhbGciOi…(812 chars)", "--issuer", ISSUER]) == 2
    err = capsys.readouterr().err
    assert "The token contains '…' (U+2026)" in err and "Traceback" not in err
