"""The authorization code grant with pushed authorization requests (RFC 9126): the push step,
the browser sent with only client_id and request_uri, and every way PAR can be off, refused or
too late — against a MockTransport provider whose browser follows the pushed request."""

import base64
import json
import threading
from urllib.parse import parse_qsl, urlsplit

import httpx
import jwt

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.protocol.pkce import s256_challenge
from tests.support.fake_provider import ISSUER, FakeProvider
from tests.support.flows import run_to_end
from tests.support.keys import ec_private, private_pem

SECRET = "par-Secret-value-0123456789"
REQUEST_URI = "urn:ietf:params:oauth:request_uri:" + "u" * 32


class ParProvider(FakeProvider):
    """Offers ``/par``: remembers each pushed form by its request_uri, as the provider does."""

    def __init__(self, *, required: bool = False, offered: bool = True, answer: httpx.Response | None = None):
        super().__init__()
        self.pushed: dict[str, dict[str, str]] = {}
        if offered:
            self.metadata["pushed_authorization_request_endpoint"] = f"{ISSUER}/par"
        if required:
            self.metadata["require_pushed_authorization_requests"] = True
        self.on("/par", answer or self._push)

    def _push(self, request: httpx.Request) -> httpx.Response:
        uri = f"{REQUEST_URI}{len(self.pushed)}"
        self.pushed[uri] = dict(parse_qsl(request.content.decode()))
        return httpx.Response(201, json={"request_uri": uri, "expires_in": 60})


class Browser:
    """Opens the authorization URL as a browser would: with PAR the provider looks up the pushed
    parameters by request_uri; then the loopback redirect gets a code for the state sent."""

    def __init__(self, provider: ParProvider):
        self.provider = provider
        self.urls: list[str] = []
        self.threads: list[threading.Thread] = []

    def open(self, url: str) -> bool:
        self.urls.append(url)
        query = dict(parse_qsl(urlsplit(url).query))
        params = self.provider.pushed.get(query.get("request_uri", ""), query)
        answer = {"code": "the-code", "state": params["state"], "iss": ISSUER}
        thread = threading.Thread(target=lambda: httpx.get(params["redirect_uri"], params=answer, timeout=5))
        thread.start()
        self.threads.append(thread)
        return True

    def join(self) -> None:
        for thread in self.threads:
            thread.join(10)


def run(provider: ParProvider, *, edit=None, env=None, **settings):
    browser = Browser(provider)
    env = env or FlowEnvironment(transport=provider.transport(), open_browser=browser.open)
    env.open_browser = browser.open
    base = dict(issuer=ISSUER, client_id="app", client_secret=SECRET, scope="api", timeout=10)
    runner = FlowRunner("auth_code", FlowSettings(**{**base, **settings}), env)
    try:
        flow = run_to_end(runner, edit)
    finally:
        runner.close()
    browser.join()
    return flow, browser


def test_a_pushed_request_sends_the_browser_with_only_client_id_and_request_uri():
    provider = ParProvider()
    flow, browser = run(provider, use_par=True)
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.paths() == ["/.well-known/openid-configuration", "/par", "/token"]
    [url] = browser.urls
    assert urlsplit(url)._replace(query="").geturl() == f"{ISSUER}/authorize"
    assert parse_qsl(urlsplit(url).query) == [("client_id", "app"), ("request_uri", f"{REQUEST_URI}0")]
    pushed = provider.pushed[f"{REQUEST_URI}0"]
    assert {"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge"} <= set(pushed)
    assert "client_secret" not in pushed  # client_secret_basic: in the Authorization header
    assert provider.calls[1].headers["authorization"] == "Basic " + base64.b64encode(f"app:{SECRET}".encode()).decode()
    token_form = provider.form()
    assert token_form["redirect_uri"] == pushed["redirect_uri"]
    assert s256_challenge(token_form["code_verifier"]) == pushed["code_challenge"]
    par = flow.step("par")
    assert par.status is StepStatus.OK and par.title == "Push the authorization request"
    assert par.output["request_uri"] == f"{REQUEST_URI}0" and par.output["expires_in"] == 60
    assert par.output["auth_method"] == "client_secret_basic"
    assert par.exchanges[0].status == 201


def test_the_record_of_a_pushed_request_never_shows_the_client_secret():
    provider = ParProvider()
    flow, _browser = run(provider, use_par=True, auth_method="client_secret_post")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.pushed[f"{REQUEST_URI}0"]["client_secret"] == SECRET  # it was sent…
    record = json.dumps(flow.to_json(show_tokens=True))
    assert SECRET not in record  # …and is masked wherever the record shows it
    assert f"{REQUEST_URI}0" in record


def test_the_pushed_parameters_are_the_step_inputs_as_edited():
    provider = ParProvider()

    def edit(step):
        if step.name == "par":
            step.inputs["login_hint"] = "ada@example.com"

    flow, _browser = run(provider, use_par=True, edit=edit)
    assert flow.status is FlowStatus.OK
    assert provider.pushed[f"{REQUEST_URI}0"]["login_hint"] == "ada@example.com"


def test_par_is_on_by_default_when_the_metadata_requires_it():
    provider = ParProvider(required=True)
    flow, browser = run(provider)
    assert flow.status is FlowStatus.OK
    assert flow.step("par").output["par"] == "required by the provider (require_pushed_authorization_requests)"
    assert dict(parse_qsl(urlsplit(browser.urls[0]).query)).keys() == {"client_id", "request_uri"}


def test_offered_but_not_asked_for_the_step_is_skipped_and_says_how_to_turn_it_on():
    provider = ParProvider()
    flow, browser = run(provider)
    assert flow.status is FlowStatus.OK
    par = flow.step("par")
    [reason] = par.findings
    assert par.status is StepStatus.SKIPPED and reason.code == "step_skipped"
    assert "does not require pushed authorization requests and they were not asked for" in reason.message
    assert reason.advice.settings == ("use_par",)
    assert "/par" not in provider.paths()
    assert "redirect_uri" in dict(parse_qsl(urlsplit(browser.urls[0]).query))


def test_switched_off_where_the_provider_requires_it_the_plain_request_is_sent_with_a_warning():
    provider = ParProvider(required=True)
    flow, browser = run(provider, use_par=False)
    assert flow.step("par").status is StepStatus.SKIPPED
    assert "the provider will refuse it" in flow.step("par").findings[0].message
    assert "par_required_off" in [f.code for f in flow.step("authorize").findings]
    assert "state" in dict(parse_qsl(urlsplit(browser.urls[0]).query))


def test_not_offered_the_step_is_skipped():
    provider = ParProvider(offered=False)
    flow, _browser = run(provider)
    assert flow.status is FlowStatus.OK
    assert "offers no pushed_authorization_request_endpoint" in flow.step("par").findings[0].message


def test_asked_for_where_the_provider_has_no_endpoint_the_flow_stops_before_the_browser():
    provider = ParProvider(offered=False)
    flow, browser = run(provider, use_par=True)
    assert flow.status is FlowStatus.ERROR and browser.urls == []
    assert [f.code for f in flow.step("par").findings] == ["par_unavailable"]
    assert flow.step("par").findings[0].part == "par"
    assert flow.step("authorize").status is StepStatus.PENDING


def test_an_expired_request_uri_is_never_opened():
    provider = ParProvider()
    clock = [1000.0]

    def edit(step):
        if step.name == "authorize":
            clock[0] += 61  # the person waited longer than expires_in before going on

    env = FlowEnvironment(transport=provider.transport(), monotonic=lambda: clock[0])
    flow, browser = run(provider, use_par=True, edit=edit, env=env)
    assert flow.status is FlowStatus.ERROR and browser.urls == []
    [finding] = flow.step("authorize").findings
    assert finding.code == "request_uri_expired" and "ran out 1 s ago" in finding.message
    assert "Push the authorization request again" in finding.advice.text


def test_a_refused_client_authentication_at_par_says_which_method_was_sent():
    answer = httpx.Response(401, json={"error": "invalid_client", "error_description": "client authentication failed"})
    provider = ParProvider(answer=answer)
    flow, browser = run(provider, use_par=True)
    assert flow.status is FlowStatus.ERROR and browser.urls == []
    par = flow.step("par")
    [finding] = par.findings
    assert finding.code == "par_error" and finding.part == "par" and par.output["error"] == "invalid_client"
    assert "client authentication failed" in finding.message
    assert "The client authenticated with client_secret_basic (chosen automatically)" in finding.message


def test_a_par_error_is_worded_from_the_oauth_error_table():
    answer = httpx.Response(400, json={"error": "invalid_request_uri"})
    provider = ParProvider(answer=answer)
    flow, _browser = run(provider, use_par=True)
    [finding] = flow.step("par").findings
    assert finding.code == "par_error" and "serves one sign-in" in finding.message
    assert "The client authenticated" not in finding.message


HAND_SET = {name: f"{ISSUER}/{path}" for name, path in (
    ("authorization_endpoint", "authorize"), ("token_endpoint", "token"),
    ("pushed_authorization_request_endpoint", "par"))}


def test_a_par_endpoint_set_by_hand_is_where_the_request_is_pushed():
    provider = ParProvider()
    flow, browser = run(provider, endpoints=HAND_SET, issuer="", use_par=True)
    assert flow.step("par").status is StepStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert provider.paths() == ["/par", "/token"]
    assert dict(parse_qsl(urlsplit(browser.urls[0]).query)).keys() == {"client_id", "request_uri"}


def test_a_par_endpoint_set_by_hand_does_not_turn_par_on_by_itself():
    provider = ParProvider()
    flow, _browser = run(provider, endpoints=HAND_SET, issuer="")
    [reason] = flow.step("par").findings
    assert flow.status is FlowStatus.OK and "/par" not in provider.paths()
    assert "whether the provider requires pushed authorization requests is not known" in reason.message
    assert reason.advice.settings == ("use_par", "pushed_authorization_request_endpoint")


def test_the_saved_record_keeps_the_push_its_answer_and_request_uri_and_masks_the_secret():
    from inspector.core.flows.record import FlowRecord

    provider = ParProvider()
    flow, _browser = run(provider, use_par=True, auth_method="client_secret_post")
    record = FlowRecord.decode(FlowRecord.of(flow, profile="web").encode())
    assert SECRET not in json.dumps(FlowRecord.of(flow).lines)
    par = record.to_flow().step("par")
    assert par.output["request_uri"] == f"{REQUEST_URI}0" and par.output["expires_in"] == 60
    assert par.exchanges[0].status == 201 and par.exchanges[0].params["client_secret"] == "••••••"


def dpop_proof(request: httpx.Request) -> dict:
    """The claims of the request's DPoP proof, verified with the key it carries (as a server does)."""
    proof = request.headers["dpop"]
    header = jwt.get_unverified_header(proof)
    assert header["typ"] == "dpop+jwt"
    return jwt.decode(proof, jwt.PyJWK(header["jwk"]).key, algorithms=[header["alg"]], options={"verify_iat": False})


def test_with_dpop_the_push_carries_a_proof_for_the_par_endpoint_and_the_step_shows_it():
    provider = ParProvider()
    flow, _browser = run(provider, use_par=True, dpop=True)
    assert flow.step("par").status is StepStatus.OK, [f.to_json() for f in flow.all_findings()]
    [push] = [request for request in provider.calls if request.url.path == "/par"]
    claims = dpop_proof(push)
    assert claims["htm"] == "POST" and claims["htu"] == f"{ISSUER}/par" and "nonce" not in claims
    par = flow.step("par")
    [shown] = par.output["dpop_proofs"]
    assert shown["claims"] == claims and shown["exchange"] == 1
    assert len(par.exchanges) == 1 and par.exchanges[0].status == 201
    assert provider.pushed[f"{REQUEST_URI}0"]["dpop_jkt"] == par.output["dpop_jkt"]


def test_a_nonce_asked_for_at_par_is_sent_once_more_with_a_fresh_client_assertion():
    provider = ParProvider()
    asked = [httpx.Response(400, json={"error": "use_dpop_nonce"}, headers={"DPoP-Nonce": "par-n-1"})]
    provider.on("/par", lambda request: asked.pop(0) if asked else provider._push(request))
    provider.metadata["token_endpoint_auth_methods_supported"] = ["private_key_jwt"]
    flow, browser = run(provider, use_par=True, dpop=True, client_secret="", auth_method="private_key_jwt",
                        private_key_pem=private_pem(ec_private()))
    par = flow.step("par")
    assert par.status is StepStatus.OK, [f.to_json() for f in flow.all_findings()]
    first, second = [request for request in provider.calls if request.url.path == "/par"]
    assert "nonce" not in dpop_proof(first) and dpop_proof(second)["nonce"] == "par-n-1"
    assertions = [dict(parse_qsl(request.content.decode()))["client_assertion"] for request in (first, second)]
    assert jwt.decode(assertions[0], options={"verify_signature": False})["jti"] != \
        jwt.decode(assertions[1], options={"verify_signature": False})["jti"]
    assert [shown["nonce"] for shown in par.output["dpop_proofs"]] == [None, "par-n-1"]
    assert [exchange.status for exchange in par.exchanges] == [400, 201]
    assert "dpop_nonce_retry" in [finding.code for finding in par.findings]
    assert parse_qsl(urlsplit(browser.urls[0]).query) == [("client_id", "app"), ("request_uri", f"{REQUEST_URI}0")]
