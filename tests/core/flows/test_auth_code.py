import threading
from urllib.parse import parse_qs

import httpx
import pytest

from inspector.core.flows.auth_code import AuthCodeState
from inspector.core.flows.context import FlowEnvironment, FlowObserver
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.questions import OpenUrlQuestion
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.pkce import s256_challenge
from tests.support.fake_provider import ISSUER, FakeProvider


class Recorder(FlowObserver):
    def __init__(self):
        self.events = []
        self.tokens = []
        self.questions = []

    def step_started(self, flow, step):
        self.events.append(("started", step.name))

    def step_finished(self, flow, step):
        self.events.append(("finished", step.name, step.status.value))

    def question(self, flow, question):
        self.questions.append(question)

    def token_obtained(self, flow, step, token_response):
        self.tokens.append(token_response)

    def flow_finished(self, flow):
        self.events.append(("done", flow.status.value))


class Browser:
    """Answers the authorization URL by calling the loopback redirect with ``query(params)``."""

    def __init__(self, query):
        self.query = query
        self.urls = []
        self.threads = []

    def open(self, url):
        self.urls.append(url)
        params = dict(httpx.URL(url).params)

        def visit():
            httpx.get(params["redirect_uri"], params=self.query(params), timeout=5)

        thread = threading.Thread(target=visit)
        thread.start()
        self.threads.append(thread)
        return True

    def join(self):
        for thread in self.threads:
            thread.join(10)


def counter_random():
    count = iter(range(1000))
    return lambda n: f"r{next(count):02d}" + "a" * 40


def run_auth_code(provider, query, scope="api", **settings):
    browser = Browser(query)
    recorder = Recorder()
    env = FlowEnvironment(transport=provider.transport(), open_browser=browser.open, random=counter_random())
    runner = FlowRunner("auth_code", FlowSettings(issuer=provider.issuer, client_id="app", scope=scope,
                                                  timeout=10, **settings), env, recorder)
    flow = runner.run_all()
    browser.join()
    return flow, recorder, browser


def good_callback(params):
    return {"code": "the-code", "state": params["state"], "iss": ISSUER}


def test_auth_code_happy_path_sends_pkce_and_the_code_once():
    provider = FakeProvider()
    flow, recorder, browser = run_auth_code(provider, good_callback)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.paths() == ["/.well-known/openid-configuration", "/token"]
    form = provider.form()
    url_params = dict(httpx.URL(browser.urls[0]).params)
    assert form["grant_type"] == "authorization_code" and form["code"] == "the-code"
    assert form["redirect_uri"] == url_params["redirect_uri"]
    assert s256_challenge(form["code_verifier"]) == url_params["code_challenge"]
    assert url_params["code_challenge_method"] == "S256"
    assert url_params["state"].startswith("r00") and form["code_verifier"].startswith("r01")
    assert url_params["redirect_uri"].startswith("http://127.0.0.1:")
    assert [s.status for s in flow.steps] == [StepStatus.OK, StepStatus.SKIPPED] + [StepStatus.OK] * 3 + [StepStatus.SKIPPED] * 3
    assert recorder.tokens == [provider.routes["/token"].json()]
    assert isinstance(recorder.questions[0], OpenUrlQuestion) and recorder.questions[0].opened
    assert recorder.events[-1] == ("done", "ok")


@pytest.mark.parametrize(
    "query, code",
    [
        (lambda p: {"code": "c", "state": "forged", "iss": ISSUER}, "state_mismatch"),
        (lambda p: {"code": "c", "iss": ISSUER}, "state_mismatch"),
        (lambda p: {"code": "c", "state": p["state"], "iss": "https://evil.example"}, "iss_param_mismatch"),
        (lambda p: {"code": "c", "state": p["state"]}, "iss_param_mismatch"),
        (lambda p: {"error": "access_denied", "state": p["state"], "iss": ISSUER}, "callback_error"),
        (lambda p: [("code", "c"), ("state", p["state"]), ("iss", ISSUER), ("code", "attacker")], "invalid_callback"),
        (lambda p: [("code", "c"), ("state", "forged"), ("state", p["state"]), ("iss", ISSUER)], "invalid_callback"),
        (lambda p: [("code", "c"), ("state", p["state"]), ("iss", "https://evil.example"), ("iss", ISSUER)],
         "invalid_callback"),
    ],
    ids=["forged-state", "no-state", "other-iss", "missing-iss", "error", "repeated-code", "repeated-state",
         "repeated-iss"],
)
def test_a_bad_callback_stops_the_flow_and_the_token_endpoint_is_never_called(query, code):
    provider = FakeProvider()
    flow, _recorder, _browser = run_auth_code(provider, query)
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("callback").findings] == [code]
    assert "/token" not in provider.paths()
    assert flow.step("token").status is StepStatus.PENDING


def test_discovery_issuer_mismatch_stops_before_the_browser_opens():
    provider = FakeProvider()
    provider.metadata["issuer"] = "https://evil.example"
    flow, _recorder, browser = run_auth_code(provider, good_callback)
    assert flow.status is FlowStatus.ERROR
    assert provider.paths() == ["/.well-known/openid-configuration"]
    assert browser.urls == []


def test_iss_not_required_when_the_provider_does_not_announce_it():
    provider = FakeProvider()
    provider.metadata.pop("authorization_response_iss_parameter_supported")
    flow, _r, _b = run_auth_code(provider, lambda p: {"code": "c", "state": p["state"]})
    assert flow.status is FlowStatus.OK


def test_offline_access_adds_prompt_consent_and_extra_params_are_sent():
    provider = FakeProvider()
    flow, _r, browser = run_auth_code(provider, good_callback, scope="api offline_access",
                                      extra_params={"login_hint": "ann", "resource": "https://api.example"})
    params = dict(httpx.URL(browser.urls[0]).params)
    assert params["prompt"] == "consent" and params["login_hint"] == "ann"
    assert params["resource"] == "https://api.example"
    assert "nonce" not in params


def test_no_pkce_sends_no_challenge_and_no_verifier():
    provider = FakeProvider()
    flow, _r, browser = run_auth_code(provider, good_callback, use_pkce=False)
    assert flow.status is FlowStatus.OK
    assert "code_challenge" not in dict(httpx.URL(browser.urls[0]).params)
    assert "code_verifier" not in provider.form()


def test_openid_scope_without_id_token_is_an_error():
    provider = FakeProvider()
    flow, _r, _b = run_auth_code(provider, good_callback, scope="openid")
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("token").findings] == ["id_token_missing"]


def test_no_callback_within_the_timeout_is_a_timeout_finding():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport(), open_browser=lambda url: False)
    flow = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=0.2), env).run_all()
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("callback").findings] == ["timeout"]


def test_a_timeout_says_which_redirect_uri_to_register_and_names_the_timeout_setting_not_a_cli_flag():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport(), open_browser=lambda url: False)
    flow = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=0.2), env).run_all()
    finding = flow.step("callback").findings[0]
    sent = flow.step("authorize").output["redirect_uri"]
    assert "--timeout" not in finding.text(), "a CLI flag leaks into every front end"
    assert f"exactly {sent} registered" in finding.advice.text
    assert finding.advice.text.startswith("If the browser showed an error"), "said after the wait: past tense"
    assert finding.advice.settings == ("redirect_port", "sign_in_timeout")
    assert finding.text({"sign_in_timeout": "Settings › Time to sign in", "redirect_port": "the Redirect port"}.get).endswith(
        "Otherwise finish signing in sooner, or allow more time with Settings › Time to sign in.")


def test_the_question_carries_the_redirect_uri_as_sent_and_the_wait():
    provider = FakeProvider()
    flow, recorder, browser = run_auth_code(provider, good_callback, redirect_path="/cb")
    question = recorder.questions[0]
    assert question.redirect_uri == dict(httpx.URL(browser.urls[0]).params)["redirect_uri"]
    assert question.redirect_uri.endswith("/cb") and question.timeout == 10 and question.any_port


def test_the_authorization_request_and_response_are_in_the_record_with_the_code_masked():
    provider = FakeProvider()
    flow, _recorder, browser = run_auth_code(provider, lambda p: {"code": "the-code-" + "c" * 30,
                                                                  "state": p["state"], "iss": ISSUER})
    request = flow.step("authorize").to_json()["authorization_request"]
    assert request["url"] == f"{ISSUER}/authorize" and request["sent_by"] == "browser"
    assert request["params"] == dict(httpx.URL(browser.urls[0]).params)
    assert {"client_id", "redirect_uri", "scope", "state", "code_challenge"} <= set(request["params"])
    response = flow.step("callback").to_json(show_tokens=True)["authorization_response"]
    assert response["params"]["code"] == "the-co…(39 chars)"
    assert response["params"]["iss"] == ISSUER and response["url"] == request["params"]["redirect_uri"]


def test_an_error_in_the_authorization_response_says_what_it_means_and_what_to_do():
    provider = FakeProvider()
    flow, _r, _b = run_auth_code(provider, lambda p: {"error": "access_denied", "error_description": "End-User "
                                                      "aborted interaction", "state": p["state"], "iss": ISSUER})
    finding = flow.step("callback").findings[0]
    assert finding.code == "callback_error" and finding.part == "callback"
    assert finding.message == ("The provider answered the authorization request with the OAuth error "
                               "'access_denied': End-User aborted interaction. This means the person, or a policy of "
                               "the provider, refused the request.")
    assert finding.advice is not None and "approve the request" in finding.advice.text


def test_without_openid_the_skipped_steps_say_why():
    provider = FakeProvider()
    flow, _r, _b = run_auth_code(provider, good_callback, scope="api")
    for name in ("id_token", "userinfo"):
        step = flow.step(name)
        assert step.status is StepStatus.SKIPPED
        [reason] = step.findings
        assert reason.code == "step_skipped" and reason.severity.value == "info" and reason.part == name
        assert "did not include openid" in reason.message and "'api'" in reason.message
        assert reason.advice.settings == ("scope",)


def test_a_redirect_port_in_use_is_a_clear_finding():
    import socket

    provider = FakeProvider()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        env = FlowEnvironment(transport=provider.transport(), open_browser=lambda url: False)
        flow = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", redirect_port=port), env).run_all()
    assert flow.status is FlowStatus.ERROR
    assert [f.code for f in flow.step("authorize").findings] == ["redirect_port_unavailable"]
    assert str(port) in flow.step("authorize").findings[0].message
    assert "--redirect-port" not in flow.step("authorize").findings[0].text()
    assert flow.step("authorize").findings[0].advice.settings == ("redirect_port",)


def test_removing_state_nonce_or_pkce_before_sending_is_allowed_but_never_silent():
    provider = FakeProvider()
    browser = Browser(lambda params: {"code": "c", "iss": ISSUER})
    env = FlowEnvironment(transport=provider.transport(), open_browser=browser.open)
    runner = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", scope="openid", timeout=10), env)
    runner.run_next()
    authorize = runner.prepare_next()
    for name in ("state", "nonce", "code_challenge", "code_challenge_method"):
        del authorize.inputs[name]
    runner.run_next()
    assert [f.code for f in authorize.findings] == ["state_disabled", "nonce_disabled", "pkce_disabled"]
    runner.run_next()
    token = runner.prepare_next()
    assert "code_verifier" not in token.inputs
    runner.close()
    browser.join()


def test_the_scope_as_sent_decides_whether_an_id_token_is_expected():
    """A person who edits openid out of the scope before sending gets no id_token_missing error."""
    provider = FakeProvider()
    browser = Browser(good_callback)
    env = FlowEnvironment(transport=provider.transport(), open_browser=browser.open)
    runner = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", scope="openid", timeout=10), env)
    runner.run_next()
    runner.prepare_next().inputs["scope"] = "api"
    flow = runner.run_all()
    browser.join()
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert [step.status for step in flow.steps[-2:]] == [StepStatus.SKIPPED, StepStatus.SKIPPED]


def test_without_a_scope_setting_openid_is_sent_and_userinfo_runs():
    from tests.support.id_tokens import NOW, id_token, provider_with

    nonce = "r01" + "a" * 40  # counter_random: state, then nonce
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token(nonce=nonce)},
                             httpx.Response(200, json={"sub": "ann"}))
    browser = Browser(good_callback)
    env = FlowEnvironment(transport=provider.transport(), open_browser=browser.open, random=counter_random(),
                          clock=lambda: NOW + 10)
    flow = FlowRunner("auth_code", FlowSettings(issuer=ISSUER, client_id="app", timeout=10), env).run_all()
    browser.join()
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert "scope=openid&" in flow.step("authorize").output["url"]
    assert "userinfo_sub_match" in [f.code for f in flow.step("userinfo").findings]


@pytest.mark.parametrize("endpoint", ["javascript:alert(1)", "file:///etc/passwd", "smb://evil.example/share"])
def test_an_authorization_endpoint_that_is_not_http_is_never_opened_in_the_browser(endpoint):
    provider = FakeProvider()
    provider.metadata["authorization_endpoint"] = endpoint
    flow, _recorder, browser = run_auth_code(provider, good_callback)
    assert flow.status is FlowStatus.ERROR and browser.urls == []
    assert "invalid_endpoint" in [finding.code for finding in flow.step("discovery").findings]


def test_the_listener_waits_the_time_to_sign_in_not_the_http_timeout():
    provider = FakeProvider()
    env = FlowEnvironment(transport=provider.transport(), open_browser=lambda url: False)
    settings = FlowSettings(issuer=ISSUER, client_id="app", timeout=60, sign_in_timeout=0.2)
    flow = FlowRunner("auth_code", settings, env).run_all()
    assert flow.step("callback").findings[0].message.endswith("within 0.2 seconds.")


def test_the_token_step_records_the_challenge_of_the_verifier_it_sent_never_the_verifier():
    """A diagnosis compares it with the authorization request's code_challenge (RFC 7636 §4.6)."""
    flow, _recorder, browser = run_auth_code(FakeProvider(), good_callback)
    line = flow.step("token").to_json(show_tokens=True)
    assert line["verifier_challenge"] == dict(httpx.URL(browser.urls[0]).params)["code_challenge"]
    assert line["request"]["params"]["code_verifier"] == "••••••"


def test_a_callback_error_keeps_the_providers_description_and_iss():
    flow, _recorder, _browser = run_auth_code(FakeProvider(), lambda params: {
        "error": "access_denied", "error_description": "End-User aborted interaction", "state": params["state"],
        "iss": ISSUER})
    output = flow.step("callback").output
    assert output["error"] == "access_denied" and output["error_description"] == "End-User aborted interaction"
    assert output["iss"] == ISSUER


def test_the_grant_closes_its_listener_when_the_flow_ends():
    """The generic context knows nothing of listeners: the grant hands the closing to it."""
    provider = FakeProvider()
    browser = Browser(good_callback)
    env = FlowEnvironment(transport=provider.transport(), open_browser=browser.open, random=counter_random())
    runner = FlowRunner("auth_code", FlowSettings(issuer=provider.issuer, client_id="app", scope="api", timeout=10), env)
    runner.prepare_next()
    runner.run_next()  # discovery
    runner.prepare_next()  # the authorize step's preparation opens the listener
    listener = runner.context.state(AuthCodeState).listener
    assert listener is not None and not listener.closed
    runner.run_all()
    browser.join()
    assert runner.flow.status is FlowStatus.OK and listener.closed


def test_resources_go_to_the_authorization_and_token_requests_one_parameter_each():
    provider = FakeProvider()
    flow, _r, browser = run_auth_code(provider, good_callback, resource=["https://a.example", "urn:b"])
    assert flow.status is FlowStatus.OK
    assert httpx.URL(browser.urls[0]).params.get_list("resource") == ["https://a.example", "urn:b"]
    recorded = flow.step("authorize").output["authorization_request"]["params"]
    assert recorded["resource"] == ["https://a.example", "urn:b"] and recorded["client_id"] == "app"
    assert parse_qs(provider.calls[-1].content.decode())["resource"] == ["https://a.example", "urn:b"]
