"""`flow --profile NAME` takes its settings from a saved profile and records the tokens obtained,
and the flow's record, in the history unless `--no-history`."""

import io
import json

import httpx
import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.errors import InspectorError
from inspector.core.flows.context import FlowEnvironment
from inspector.core.jose.dpop_key import DpopKey
from inspector.core.storage.profile_model import Profile
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import memory_storage, run_cli

SECRET = "profile-Secret-31415926"


@pytest.fixture
def storage(tmp_path):
    storage = memory_storage(tmp_path, MemoryKeyring())
    storage.profiles.add(
        Profile(name="svc", issuer=ISSUER, client_id="svc-client", auth_method="client_secret_post",
                scopes=("read", "write"), extra_params={"resource": "https://api.example"}),
        secrets={"client_secret": SECRET},
    )  # fmt: skip
    return storage


def run(storage, provider, *argv):
    out = io.StringIO()
    args = build_parser("flow").parse_args(["client-credentials", *argv, "--json"])
    code = flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out, storage=storage)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_profile_supplies_issuer_client_secret_scopes_and_parameters(storage):
    provider = FakeProvider()
    code, lines = run(storage, provider, "--profile", "svc")
    assert code == 0 and lines[-1]["status"] == "ok"
    form = provider.form()
    assert (form["client_id"], form["client_secret"], form["scope"]) == ("svc-client", SECRET, "read write")
    assert form["resource"] == "https://api.example"
    assert SECRET not in json.dumps(lines)


def test_options_given_on_the_command_line_override_the_profile(storage):
    provider = FakeProvider()
    code, _ = run(storage, provider, "--profile", "svc", "--scope", "admin", "--param", "resource=https://other")
    assert code == 0
    assert provider.form()["scope"] == "admin" and provider.form()["resource"] == "https://other"


def test_tokens_obtained_are_recorded_with_profile_and_flow(storage):
    run(storage, FakeProvider(), "--profile", "svc")
    flow, entry = storage.history.entries()
    assert (entry.kind, entry.source, entry.profile) == ("access", "client_credentials", "svc")
    assert storage.history.token(entry.id) == "at-" + "x" * 40
    assert (flow.kind, flow.source, flow.profile, flow.status) == ("flow", "client_credentials", "svc", "ok")


def test_no_history_records_nothing(storage):
    code, _ = run(storage, FakeProvider(), "--profile", "svc", "--no-history")
    assert code == 0 and list(storage.history.entries()) == []


def test_flow_without_a_profile_is_recorded_too(storage):
    run(storage, FakeProvider(), "--issuer", ISSUER, "--client-id", "c", "--client-secret", "s")
    assert [(e.kind, e.source_label) for e in storage.history.entries()] == [("flow", "client_credentials"),
                                                                             ("access", "client_credentials")]


def test_a_locked_keyring_stops_neither_a_flow_with_explicit_options_nor_its_output(tmp_path, capsys):
    locked = memory_storage(tmp_path, LockedKeyring())
    code, lines = run(locked, FakeProvider(), "--issuer", ISSUER, "--client-id", "c", "--client-secret", "s")
    assert code == 0 and lines[-1]["status"] == "ok"
    assert "tokens were not saved to the history" in capsys.readouterr().err


def test_unknown_profile_and_missing_issuer_are_usage_errors(storage):
    with pytest.raises(InspectorError, match="no profile named 'nope'"):
        run(storage, FakeProvider(), "--profile", "nope")
    with pytest.raises(InspectorError, match="--issuer \\(or --profile NAME, or the endpoints by hand"):
        run(storage, FakeProvider(), "--client-id", "c", "--client-secret", "s")


def test_a_profile_with_endpoints_by_hand_runs_without_discovery_and_options_override_them(storage):
    storage.profiles.add(Profile(name="manual", endpoints={"token_endpoint": "https://as.example/old"},
                                 client_id="svc-client"), secrets={"client_secret": SECRET})
    provider = FakeProvider()
    provider.on("/new", provider.routes["/token"])
    code, lines = run(storage, provider, "--profile", "manual", "--token-endpoint", "https://as.example/new")
    assert code == 0, lines
    assert [line["step"] for line in lines] == ["endpoints", "token", "api_call", "done"]
    assert [str(request.url) for request in provider.calls] == ["https://as.example/new"]


def run_refresh(storage, provider, *argv):
    out = io.StringIO()
    args = build_parser("flow").parse_args(["refresh", "--refresh-token", "rt", *argv, "--json"])
    code = flow_cli.run(args, env=FlowEnvironment(transport=provider.transport()), out=out, storage=storage)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_public_client_profile_added_with_the_defaults_authenticates_with_none(storage):
    assert run_cli(storage, "profile", "add", "pub", "--issuer", ISSUER, "--client-id", "spa", "--scope", "api").code == 0
    assert storage.profiles.get("pub").auth_method == "auto"
    provider = FakeProvider()
    code, lines = run_refresh(storage, provider, "--profile", "pub")
    assert code == 0, lines
    assert lines[1]["auth_method"] == "none" and provider.form()["client_id"] == "spa"
    assert "authorization" not in provider.calls[-1].headers


def test_auto_on_the_command_line_overrides_a_profile_method(storage):
    provider = FakeProvider()
    code, lines = run_refresh(storage, provider, "--profile", "svc", "--auth-method", "auto")
    assert code == 0 and lines[1]["auth_method"] == "client_secret_basic"


def dpop_token(request):
    assert "dpop" in request.headers
    return httpx.Response(200, json={"access_token": "at-bound-" + "b" * 30, "token_type": "DPoP", "expires_in": 60})


def test_a_profile_with_dpop_and_a_kept_key_proves_it_and_the_history_keeps_it_with_the_bound_token(storage):
    assert run_cli(storage, "profile", "edit", "svc", "--dpop", "--dpop-keep-key").code == 0
    kept = storage.profiles.secret("svc", "dpop_key")
    provider = FakeProvider()
    provider.on("/token", dpop_token)
    code, lines = run(storage, provider, "--profile", "svc")
    assert code == 0, lines
    token = next(line for line in lines if line["step"] == "token")
    assert token["dpop_jkt"] == DpopKey.from_private_jwk(kept).thumbprint
    assert token["dpop_proofs"][0]["header"]["typ"] == "dpop+jwt"
    assert json.loads(kept)["d"] not in json.dumps(lines)
    _flow, entry = storage.history.entries()
    assert storage.history.dpop_key(entry.id) == kept
    assert json.loads(kept)["d"] not in run_cli(storage, "history", "show", entry.id, "--json").out


def test_no_dpop_on_the_command_line_overrides_the_profile(storage):
    run_cli(storage, "profile", "edit", "svc", "--dpop")
    provider = FakeProvider()
    code, _ = run(storage, provider, "--profile", "svc", "--no-dpop")
    assert code == 0 and "dpop" not in provider.calls[-1].headers


@pytest.mark.parametrize("saved, argv, expected", [
    (None, [], None), (True, [], True), (False, [], False), (False, ["--par"], True), (True, ["--no-par"], False),
    (None, ["--par"], True)])
def test_par_comes_from_the_profile_unless_the_command_line_says(tmp_path, saved, argv, expected):
    from inspector.cli.flow_settings import resolve_settings

    storage = memory_storage(tmp_path, MemoryKeyring())
    storage.profiles.add(Profile(name="web", issuer=ISSUER, client_id="app", use_par=saved))
    args = build_parser("flow").parse_args(["auth-code", "--profile", "web", *argv])
    assert resolve_settings(args, storage=storage).use_par is expected


def test_par_and_no_par_cannot_both_be_given(capsys):
    with pytest.raises(SystemExit):
        build_parser("flow").parse_args(["auth-code", "--issuer", ISSUER, "--par", "--no-par"])
    assert "not allowed with argument" in capsys.readouterr().err
