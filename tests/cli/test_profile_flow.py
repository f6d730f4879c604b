"""`flow --profile NAME` takes its settings from a saved profile and records the tokens obtained,
and the flow's record, in the history unless `--no-history`."""

import io
import json

import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.errors import InspectorError
from inspector.core.flows.context import FlowEnvironment
from inspector.core.storage.profile_model import Profile
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import memory_storage

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
    from tests.support.storage import run_cli

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
