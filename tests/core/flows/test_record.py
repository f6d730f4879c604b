"""A flow's stored record: the JSON lines ``flow --json`` prints, redacted, bounded (and saying
so), compressed, and rebuilt into a flow that shows every step as it was."""

import json
import zlib

import httpx
import pytest

from inspector.core.errors import StorageError
from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.record import BODY_LIMIT, EXCHANGES_KEPT, RECORD_LIMIT, FlowRecord
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.redact import SCRIPT_TOKENS
from tests.support.fake_provider import (
    ACCESS_TOKEN, CLIENT_SECRET, ISSUER, REFRESH_TOKEN, FakeProvider, client_credentials_flow as client_credentials,
)

SECRET, REFRESH, ACCESS = CLIENT_SECRET, REFRESH_TOKEN, ACCESS_TOKEN


def test_the_lines_are_what_flow_json_prints():
    flow = client_credentials()
    record = FlowRecord.of(flow, profile="svc-profile", issuer=ISSUER)
    printed = [step.to_json(show_tokens=SCRIPT_TOKENS) for step in flow.steps] + [flow.done_json(show_tokens=SCRIPT_TOKENS)]
    assert list(record.lines) == printed
    assert (record.grant, record.status, record.profile, record.issuer) == ("client_credentials", "ok", "svc-profile",
                                                                            ISSUER)
    assert record.id == flow.id and record.started_at == flow.started_at and record.notes == ()
    assert record.titles == tuple((step.name, step.title) for step in flow.steps)


def test_secrets_are_masked_and_the_refresh_token_abbreviated():
    record = FlowRecord.of(client_credentials())
    text = json.dumps(record.lines)
    assert SECRET not in text and REFRESH not in text and "c3ZjOmNsaWVudC1TZWNyZXQ" not in text
    token = next(line for line in record.lines if line["step"] == "token")
    assert token["request"]["headers"]["authorization"] == "••••••"
    assert token["token"]["refresh_token"].endswith("(43 chars)") and token["token"]["access_token"] == ACCESS


def test_the_issuer_falls_back_to_the_discovered_one():
    assert FlowRecord.of(client_credentials()).issuer == ISSUER


def test_it_survives_encoding_and_is_stored_compressed():
    record = FlowRecord.of(client_credentials(), profile="p", issuer=ISSUER)
    data = record.encode()
    assert b"client_credentials" not in data  # compressed
    assert FlowRecord.decode(data) == record


def test_a_damaged_or_newer_record_is_refused_in_words():
    with pytest.raises(StorageError, match="damaged"):
        FlowRecord.decode(b"not zlib at all")
    newer = zlib.compress(json.dumps({"format": 99}).encode())
    with pytest.raises(StorageError, match="newer Token Inspector"):
        FlowRecord.decode(newer)


def test_a_long_response_body_is_cut_and_the_record_says_so():
    provider = FakeProvider()
    provider.metadata["service_documentation"] = "d" * (BODY_LIMIT * 3)
    record = FlowRecord.of(client_credentials(provider))
    discovery = record.lines[0]
    assert len(discovery["response"]["body"]) == BODY_LIMIT
    assert discovery["response"]["body_truncated"]["kept"] == BODY_LIMIT
    assert discovery["response"]["body_truncated"]["chars"] > BODY_LIMIT * 3
    [note] = record.notes
    assert "Step discovery: a response body of" in note and record.lines[-1]["truncated"] == [note]
    shown = record.to_flow().step("discovery").exchanges[0].body
    assert shown.endswith(f"{BODY_LIMIT:,} kept)") and "cut when saved" in shown


def test_a_record_over_the_limit_keeps_the_first_and_last_exchanges():
    device = {"device_code": "dc-" + "d" * 40, "user_code": "ABCD-EFGH", "verification_uri": f"{ISSUER}/activate",
              "expires_in": 6000}
    pending = {"error": "authorization_pending", "error_description": "p" * 10_000}
    answers = [pending] * 40 + [{"access_token": ACCESS, "token_type": "Bearer"}]
    provider = FakeProvider()
    provider.on("/device", httpx.Response(200, json=device))
    provider.on("/token", lambda request: httpx.Response(400 if "error" in answers[0] else 200, json=answers.pop(0)))
    env = FlowEnvironment(transport=provider.transport(), sleep=lambda seconds: None)
    flow = FlowRunner("device", FlowSettings(issuer=ISSUER, client_id="tv"), env).run_all()
    assert flow.status is FlowStatus.OK
    record = FlowRecord.of(flow)
    token = next(line for line in record.lines if line["step"] == "token")
    assert len(token["exchanges"]) == 2 * EXCHANGES_KEPT and token["exchanges_omitted"] == 41 - 2 * EXCHANGES_KEPT
    assert any("exchanges were left out" in note for note in record.notes)
    assert len(json.dumps(record.lines)) < RECORD_LIMIT
    assert len(record.to_flow().step("token").exchanges) == 2 * EXCHANGES_KEPT


def test_a_record_that_still_does_not_fit_keeps_only_its_outline():
    flow = client_credentials()
    flow.step("token").output["claims"] = {f"claim-{n}": "c" * 1000 for n in range(400)}
    record = FlowRecord.of(flow)
    assert len(json.dumps(record.lines)) < RECORD_LIMIT
    assert [line["step"] for line in record.lines] == ["discovery", "token", "api_call", "done"]
    assert set(record.lines[1]) == {"step", "status", "duration_ms", "findings"}
    assert "only each step's outcome" in record.notes[-1]
    assert record.lines[-1]["truncated"] == list(record.notes)


def test_the_rebuilt_flow_shows_every_step_as_it_was():
    flow = client_credentials()
    rebuilt = FlowRecord.decode(FlowRecord.of(flow).encode()).to_flow()
    assert (rebuilt.grant, rebuilt.id, rebuilt.status, rebuilt.started_at) == (flow.grant, flow.id, flow.status,
                                                                                flow.started_at)
    assert [(s.name, s.title, s.status) for s in rebuilt.steps] == [(s.name, s.title, s.status) for s in flow.steps]
    token, original = rebuilt.step("token"), flow.step("token")
    assert token.duration == pytest.approx(original.duration, abs=0.001)
    assert [(e.method, e.url, e.status) for e in token.exchanges] == [(e.method, e.url, e.status)
                                                                     for e in original.exchanges]
    assert token.exchanges[0].request_headers["authorization"] == "••••••"
    assert token.output["auth_method"] == "client_secret_basic"
    assert token.output["token"]["access_token"] == ACCESS
    assert [step.to_json(show_tokens=SCRIPT_TOKENS) for step in rebuilt.steps] == list(FlowRecord.of(flow).lines[:-1])


def test_steps_never_reached_come_back_pending_and_failures_keep_their_findings():
    provider = FakeProvider()
    provider.on("/token", httpx.Response(401, json={"error": "invalid_client", "error_description": "bad secret"}))
    runner = FlowRunner("client_credentials", FlowSettings(issuer=ISSUER, client_id="svc", client_secret=SECRET),
                        FlowEnvironment(transport=provider.transport()))
    flow = runner.run_all()
    assert flow.status is FlowStatus.ERROR
    rebuilt = FlowRecord.of(flow).to_flow()
    token = rebuilt.step("token")
    assert token.status is StepStatus.ERROR and token.output["error"] == "invalid_client"
    assert [f.code for f in token.findings] == [f.code for f in flow.step("token").findings]
    assert token.findings[0].part == "token"


def test_a_cancelled_flow_records_the_steps_it_ran():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport())
    runner = FlowRunner("client_credentials", FlowSettings(issuer=ISSUER, client_id="svc", client_secret=SECRET), env)
    runner.run_next()
    runner.interrupted()
    record = FlowRecord.of(runner.flow)
    assert record.status == "cancelled" and [line["step"] for line in record.lines] == ["discovery", "done"]
    rebuilt = record.to_flow()
    assert [step.status.value for step in rebuilt.steps] == ["ok", "pending", "pending"]


def test_the_subject_comes_from_the_id_token_or_userinfo_claims():
    lines = ({"step": "userinfo", "claims": {"sub": "from-userinfo"}}, {"step": "done", "findings": []})
    assert FlowRecord("auth_code", "ok", lines).subject == "from-userinfo"
    lines = ({"step": "id_token", "claims": {"sub": "alice"}}, *lines)
    assert FlowRecord("auth_code", "ok", lines).subject == "alice"
    assert FlowRecord("client_credentials", "ok", ({"step": "done"},)).subject == ""


def test_a_damaged_line_is_refused_when_rebuilt():
    record = FlowRecord("client_credentials", "ok", ({"step": "token", "status": "exploded"}, {"step": "done"}))
    with pytest.raises(StorageError, match="damaged"):
        record.to_flow()


def test_a_dpop_flows_record_keeps_each_proof_decoded_and_never_the_private_key():
    flow = client_credentials(dpop=True)
    record = FlowRecord.decode(FlowRecord.of(flow).encode(), "test")
    token = record.to_flow().step("token")
    [proof] = token.output["dpop_proofs"]
    assert proof["header"]["typ"] == "dpop+jwt" and proof["claims"]["htm"] == "POST"
    assert proof["proof"] == flow.step("token").output["dpop_proofs"][0]["proof"]
    private = json.loads(flow.dpop_key)["d"]
    assert private not in json.dumps(list(record.lines)) and "dpop_key" not in json.dumps(list(record.lines))
