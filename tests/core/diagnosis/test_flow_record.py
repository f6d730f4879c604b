"""Flow records (core Flow objects and the JSON lines of ``flow --json``) diagnosed: real records
made by the flow runner against an in-memory provider, the structural signs they carry (the S256
of the verifier sent, both redirect URIs, a code or refresh token sent twice) and the findings they
kept (state, the ID token's verifier findings at the moment the record shows)."""

import json
import threading

import httpx
import pytest

from inspector.core.protocol.http import make_client
from inspector.core.diagnosis.engine import diagnose_flows, diagnose_text
from inspector.core.diagnosis.flow_record import split_records
from inspector.core.errors import UnusableInputError
from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.jwks import JwksCache
from tests.support.diagnosis import FakeIssuer, NOW, causes, context, http_date, id_token, jwk
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.flows import json_lines, run_to_end

#: The flow's random values with ``counter_random``: state, then nonce, then PKCE verifier.
NONCE = "r01" + "a" * 40
GRANT_INVALID = httpx.Response(400, json={"error": "invalid_grant", "error_description": "grant request is invalid"})


class Browser:
    """Answers the authorization URL by calling the loopback redirect with ``answer(params)``."""

    def __init__(self, answer):
        self.answer = answer
        self.threads = []

    def open(self, url):
        params = dict(httpx.URL(url).params)
        thread = threading.Thread(target=lambda: httpx.get(params["redirect_uri"], params=self.answer(params),
                                                           timeout=5))
        thread.start()
        self.threads.append(thread)
        return True

    def join(self):
        for thread in self.threads:
            thread.join(10)


def good(params):
    return {"code": "SplxlOBeZQQYbYS6WxSbIA", "state": params["state"], "iss": ISSUER}


def provider(token_answer=None, server_time=NOW):
    fake = FakeProvider()
    fake.metadata["id_token_signing_alg_values_supported"] = ["RS256"]
    fake.metadata["token_endpoint_auth_methods_supported"] = ["client_secret_basic", "none"]
    fake.on("/jwks", httpx.Response(200, json={"keys": [jwk()]}))
    fake.on("/userinfo", httpx.Response(200, json={"sub": "248289761001"}))
    if token_answer is not None:
        fake.on("/token", token_answer)
    fake.server_time = server_time
    return fake


def dated(fake, body, status=200):
    return lambda request: httpx.Response(status, json=body, headers={"Date": http_date(fake.server_time)})


def run(fake, answer=good, edit=None, grant="auth_code", jwks=None, **settings):
    """Run a flow; ``edit(step)`` may change a step's parameters before it is sent (as the GUI lets)."""
    browser = Browser(answer)
    count = iter(range(1000))
    env = FlowEnvironment(transport=fake.transport(), open_browser=browser.open, clock=lambda: NOW, jwks=jwks,
                          random=lambda n: f"r{next(count):02d}" + "a" * 40)
    settings.setdefault("scope", "openid")
    runner = FlowRunner(grant, FlowSettings(issuer=fake.issuer, client_id="app", timeout=5, **settings), env)
    try:
        return run_to_end(runner, edit)
    finally:
        runner.close()
        browser.join()


def both(*flows, **values):
    """The diagnosis of the core records and of their JSON lines, which must agree."""
    from_objects = diagnose_flows(list(flows), context(**values))
    from_lines = diagnose_text(json_lines(*flows), context(**values))
    assert causes(from_objects) == causes(from_lines)
    return from_lines


def test_a_successful_flow_has_nothing_to_explain():
    fake = provider()
    fake.on("/token", dated(fake, {"access_token": "a" * 40, "token_type": "Bearer", "id_token": id_token(
        iss=ISSUER, aud="app", nonce=NONCE)}))
    flow = run(fake, scope="openid")
    assert flow.status.value == "ok", [f.to_json() for f in flow.all_findings()]
    assert both(flow).diagnoses == ()


def test_a_pkce_verifier_edited_before_sending_is_certain_from_the_recorded_challenge():
    def edit(step):
        if step.name == "token":
            step.inputs["code_verifier"] = "not-the-verifier-of-this-request-0123456789"

    flow = run(provider(GRANT_INVALID), edit=edit)
    token = flow.step("token").to_json(show_tokens=True)
    assert token["request"]["params"]["code_verifier"] == "••••••" and "verifier_challenge" in token
    report = both(flow)
    assert causes(report) == [("pkce_mismatch", "certain")]
    assert "not-the-verifier" not in str(report.to_json())


def test_a_redirect_uri_edited_in_the_token_request():
    flow = run(provider(GRANT_INVALID), edit=lambda step: step.name == "token" and step.inputs.update(
        redirect_uri="http://127.0.0.1:1/elsewhere"))
    assert causes(both(flow)) == [("redirect_uri_mismatch", "certain")]


def test_a_code_redeemed_by_a_first_flow_and_sent_again_by_a_second():
    fake = provider()
    fake.on("/token", dated(fake, {"access_token": "a" * 40, "token_type": "Bearer", "id_token": id_token(
        iss=ISSUER, aud="app", nonce=NONCE)}))
    first = run(fake)
    assert first.status.value == "ok"
    fake.on("/token", GRANT_INVALID)
    second = run(fake, answer=lambda params: {"code": "second-code-" + "x" * 20, "state": params["state"],
                                              "iss": ISSUER},
                 edit=lambda step: step.name == "token" and step.inputs.update(code="SplxlOBeZQQYbYS6WxSbIA"))
    report = both(first, second)
    assert causes(report) == [("invalid_grant_code", "certain")]
    assert "already sent in the token step of flow 1 and redeemed there" in report.diagnoses[0].summary


def test_a_state_the_flow_did_not_send():
    flow = run(provider(), answer=lambda params: {"code": "c" * 20, "state": "forged", "iss": ISSUER})
    assert causes(both(flow)) == [("state_mismatch", "certain")]


def test_access_denied_in_the_callback_with_the_providers_description():
    flow = run(provider(), answer=lambda params: {"error": "access_denied", "state": params["state"], "iss": ISSUER,
                                                  "error_description": "End-User aborted interaction"})
    report = both(flow)
    assert causes(report) == [("access_denied", "certain")]
    assert ("error_description", "End-User aborted interaction") in {(e.name, e.value)
                                                                       for e in report.diagnoses[0].evidence}


def test_the_callbacks_iss_naming_another_issuer():
    flow = run(provider(), answer=lambda params: {"code": "c" * 20, "state": params["state"], "iss": f"{ISSUER}/"})
    report = both(flow)
    assert causes(report) == [("issuer_mismatch", "certain")] and "trailing slash" in report.diagnoses[0].summary


def test_invalid_client_with_a_method_the_provider_does_not_list():
    fake = provider(httpx.Response(401, json={"error": "invalid_client",
                                              "error_description": "client authentication failed"}))
    flow = run(fake, client_secret="wrong-secret-0123", auth_method="client_secret_post")
    report = both(flow)
    assert causes(report) == [("invalid_client", "certain")]
    assert "client_secret_post, which the provider does not support" in report.diagnoses[0].summary
    assert "wrong-secret-0123" not in json_lines(flow) and "wrong-secret-0123" not in str(report.to_json())


def test_a_refresh_token_used_again_after_the_provider_rotated_it():
    fake = provider()
    fake.on("/token", httpx.Response(200, json={"access_token": "a" * 40, "token_type": "Bearer",
                                                "refresh_token": "rotated-" + "n" * 30}))
    first = run(fake, grant="refresh", token="original-" + "o" * 30, scope=None)
    fake.on("/token", GRANT_INVALID)
    second = run(fake, grant="refresh", token="original-" + "o" * 30, scope=None)
    assert causes(both(first, second)) == [("refresh_token_invalid", "certain")]


def test_an_id_token_signed_with_a_key_the_stale_cache_lacks():
    """The cache refetched moments ago, so the unknown kid is not refetched: key_not_found, kid k2."""
    fake = provider()
    cache = JwksCache(cooldown=3600)
    client = make_client(timeout=10, transport=fake.transport())
    cache.keys(client, f"{ISSUER}/jwks")
    cache.keys(client, f"{ISSUER}/jwks", "unknown")  # a refetch now: the next one waits an hour
    client.close()
    fake.on("/token", dated(fake, {"access_token": "a" * 40, "token_type": "Bearer",
                                   "id_token": id_token(index=3, kid="k2", iss=ISSUER, aud="app", nonce=NONCE)}))
    flow = run(fake, jwks=cache)
    assert "key_not_found" in [f.code for f in flow.step("id_token").findings]
    assert causes(both(flow)) == [("signing_key_rotated", "likely")]
    rotated = FakeIssuer(issuer=ISSUER, jwks={"keys": [jwk(3, "k2"), jwk()]})
    report = diagnose_flows([flow], context(source=rotated.source()))
    assert causes(report) == [("signing_key_rotated", "certain")]
    assert "the JWKS the flow had cached" in report.diagnoses[0].summary


def test_an_id_token_issued_in_the_future_by_the_token_responses_clock_is_clock_skew():
    """The provider's clock is 5 minutes ahead of this one: its fresh token looks issued in the future."""
    fake = provider(server_time=NOW + 300)
    fake.on("/token", dated(fake, {"access_token": "a" * 40, "token_type": "Bearer", "id_token": id_token(
        iss=ISSUER, aud="app", nonce=NONCE, iat=NOW + 300, exp=NOW + 3900)}))
    flow = run(fake)
    assert "issued_in_future" in [f.code for f in flow.step("id_token").findings]
    report = both(flow)
    assert causes(report) == [("clock_skew", "certain")]
    assert "This computer's clock is 5 min behind op.example" in report.diagnoses[0].summary


def test_discovery_naming_another_issuer():
    fake = provider()
    fake.metadata["issuer"] = f"{ISSUER}/"
    flow = run(fake)
    report = both(flow)
    assert causes(report) == [("issuer_mismatch", "certain")] and "trailing slash" in report.diagnoses[0].summary


def test_a_tls_failure_in_the_record():
    def refuse(request):
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                                 "certificate in certificate chain", request=request)

    fake = provider()
    fake.on("/.well-known/openid-configuration", refuse)
    assert causes(both(run(fake))) == [("network_error", "certain")]


def test_a_callback_that_never_came_is_a_possible_redirect_uri_refusal():
    lines = [{"step": "authorize", "status": "ok", "url": f"{ISSUER}/authorize?redirect_uri=http%3A%2F%2F127.0.0.1"
              "%3A5000%2Fcb", "redirect_uri": "http://127.0.0.1:5000/cb", "findings": []},
             {"step": "callback", "status": "error", "findings": [{"code": "timeout", "severity": "error",
                                                                   "message": "No authorization response came."}]},
             {"step": "done", "status": "error", "flow": "auth_code", "findings": []}]
    report = diagnose_text("\n".join(map(json.dumps, lines)), context())
    assert causes(report) == [("redirect_uri_mismatch", "possible")]


def test_a_request_uri_that_expired_before_the_browser_was_sent_is_named():
    lines = [{"step": "authorize", "status": "error", "findings": [{
        "code": "request_uri_expired", "severity": "error", "claim": "request_uri",
        "message": "The request_uri from the pushed authorization request ran out 30 s ago."}]},
        {"step": "done", "status": "error"}]
    report = diagnose_text("\n".join(map(json.dumps, lines)), context())
    assert causes(report) == [("request_uri_invalid", "certain")]
    assert "expired before the browser could be sent to it" in report.diagnoses[0].summary


def test_records_with_odd_fields_never_raise():
    lines = [{"step": "token", "status": 3, "request": "x", "response": {"status": "500", "headers": [1],
                                                                         "body": ["no"]}, "findings": [7, {}]},
             {"step": "id_token", "claims": "none", "findings": [{"code": "expired", "severity": "bogus"}]},
             {"step": "callback", "error": 12, "findings": None},
             {"step": "userinfo", "findings": 3},
             {"step": "authorize", "url": 5},
             {"step": "done", "started_at": "yesterday"}]
    report = diagnose_text("\n".join(map(json.dumps, lines)), context())
    assert all(d.cause for d in report.diagnoses)


def test_a_record_without_steps_is_unusable():
    with pytest.raises(UnusableInputError):
        split_records([{"step": "done", "status": "ok"}])


def test_the_done_line_carries_the_start_so_steps_can_be_dated():
    flow = run(provider())
    done = json.loads(json_lines(flow).splitlines()[-1])
    assert done["started_at"] == NOW
    assert split_records([json.loads(line) for line in json_lines(flow).splitlines()])[0].started_at == NOW


def test_a_client_authentication_refused_at_the_par_endpoint_is_named():
    import httpx

    from tests.core.flows.test_auth_code_par import ParProvider, run
    from tests.support.flows import json_lines

    refusal = httpx.Response(401, json={"error": "invalid_client", "error_description": "client authentication failed"})
    flow, _browser = run(ParProvider(answer=refusal), use_par=True)
    report = diagnose_text(json_lines(flow), context())
    assert causes(report)[:1] == [("invalid_client", "certain")]
