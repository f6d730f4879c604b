"""The authorization code grant for a native app (RFC 6749 §4.1, RFC 8252, RFC 7636 PKCE, OIDC Core §3.1).

discovery → par (push the authorization request, RFC 9126, when it is on) → authorize (build the
URL, open the browser) → callback (loopback listener: state, RFC 9207 iss, error) → token →
id_token (every JOSE check, this flow's nonce) → userinfo.

With PAR the request's parameters travel from this app to the provider, authenticated as the
token request is, and the browser carries only ``client_id`` and the ``request_uri`` answered
(RFC 9126 §4), which is not opened once its ``expires_in`` has run out.

What the steps pass along is :class:`AuthCodeState`; the nonce and scope sent, which the ID token
and userinfo steps read too, are the context's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from inspector.core.advice import Advice
from inspector.core.findings import Finding, error, has_errors, warning
from inspector.core.flows import dpop as flow_dpop
from inspector.core.flows.client_auth import auth_method, authenticator, explain_refusal
from inspector.core.flows.context import FlowContext, SkipReason, StepSpec
from inspector.core.flows.loopback import LoopbackListener
from inspector.core.flows.model import Step, StepStatus
from inspector.core.flows.questions import OpenUrlQuestion, redirect_refused
from inspector.core.flows.id_token import ID_TOKEN, preload_verifier
from inspector.core.flows.steps import DISCOVERY, endpoint, request_tokens
from inspector.core.flows.userinfo import USERINFO
from inspector.core.protocol.http import HttpResult
from inspector.core.protocol.par import (
    PAR_ENDPOINT, BuildForm, ParChoice, PushedRequest, SendForm, browser_url, choose, expiry_finding, push, push_form,
)
from inspector.core.protocol.pkce import random_value, s256_challenge
from inspector.core.protocol.resources import form_with_resources, grouped, param_pairs, resource_input
from inspector.core.protocol.responses import oauth_error_finding
from inspector.core.redact import redact_mapping

__all__ = ["AuthCodeState", "STEPS", "par_choice"]


@dataclass
class AuthCodeState:
    """What this grant's steps hand each other, one per flow (``ctx.state(AuthCodeState)``)."""

    #: Open from the authorize step's preparation until the flow closes (``ctx.on_close``).
    listener: LoopbackListener | None = None
    #: The PKCE verifier generated for the request (RFC 7636 §4.1); sent only if pkce_sent.
    code_verifier: str = ""
    #: Whether the authorization request, as sent, carried a code_challenge.
    pkce_sent: bool = False
    #: The redirect_uri as sent: the token request must repeat it (RFC 6749 §4.1.3).
    redirect_uri: str = ""
    #: The authorization code from a callback that passed every check.
    code: str = ""
    #: The request_uri of the pushed authorization request and its lifetime; None: not pushed.
    pushed: PushedRequest | None = None


def _listener(ctx: FlowContext) -> LoopbackListener:
    listener = ctx.state(AuthCodeState).listener
    if listener is None:  # the authorize step's preparation opens it, or the flow stops there
        raise RuntimeError("no loopback listener is open")
    return listener


def _request_params(ctx: FlowContext, step: Step) -> dict[str, str] | None:
    """The authorization request's parameters (RFC 6749 §4.1.1, OIDC Core §3.1.2.1), with the
    loopback listener its redirect_uri names opened; None (and an error on ``step``) when no
    listener can be opened."""
    settings = ctx.settings
    metadata = ctx.metadata
    state = random_value(ctx.env.random)
    try:
        listener = LoopbackListener(
            expected_state=state,
            expected_issuer=settings.issuer or None,  # unknown: endpoints set by hand without one
            require_iss=metadata.get("authorization_response_iss_parameter_supported") is True,
            port=settings.redirect_port,
            path=settings.redirect_path,
            redirect_host=settings.redirect_host,
            clock=ctx.env.monotonic,
        )
    except OSError as exc:
        step.findings.append(error("redirect_port_unavailable", f"Cannot listen on 127.0.0.1:{settings.redirect_port} "
                                   f"for the redirect ({exc.strerror or exc}).", part=step.name,
                                   advice=Advice("Choose another {redirect_port}, or 0 for any free port if the "
                                                 "provider allows any loopback port.", ("redirect_port",))))
        step.status = StepStatus.ERROR
        return None
    auth = ctx.state(AuthCodeState)
    auth.listener = listener
    ctx.on_close(listener.close)
    scope = settings.scope or "openid"
    inputs = {"response_type": "code", "client_id": settings.client_id or "", "redirect_uri": listener.redirect_uri,
              "scope": scope, "state": state}
    if "openid" in scope.split():
        inputs["nonce"] = random_value(ctx.env.random)
    if settings.use_pkce:
        verifier = random_value(ctx.env.random)
        auth.code_verifier = verifier
        inputs.update(code_challenge=s256_challenge(verifier), code_challenge_method="S256")
    if ctx.dpop is not None:  # RFC 9449 §10: the code is bound to the key that must redeem it
        inputs["dpop_jkt"] = ctx.dpop.key.thumbprint
    if "offline_access" in scope.split() and "prompt" not in settings.extra_params:
        inputs["prompt"] = "consent"  # OIDC Core §11: offline_access needs prompt=consent
    if settings.resource:
        inputs["resource"] = resource_input(settings.resource)
    inputs.update(settings.extra_params)
    return inputs


def _note_request(ctx: FlowContext, step: Step, inputs: dict[str, str]) -> None:
    """What the later steps must know of the authorization request as sent (after any edit):
    the state the listener expects, the nonce and scope, whether PKCE and which redirect_uri."""
    listener = _listener(ctx)
    listener.expected_state = inputs.get("state", "")
    ctx.nonce = inputs.get("nonce")
    ctx.scope = inputs.get("scope", "")
    auth = ctx.state(AuthCodeState)
    auth.pkce_sent = "code_challenge" in inputs
    auth.redirect_uri = inputs.get("redirect_uri", listener.redirect_uri)
    _note_disabled_protections(step, inputs)


def par_choice(ctx: FlowContext) -> ParChoice:
    """Whether this flow pushes its authorization request (:func:`inspector.core.protocol.par.choose`
    on the metadata, or the endpoints set by hand, and ``use_par``). A PAR endpoint set by hand
    is where the request is pushed when PAR is on; it does not turn PAR on by itself: the
    profile form's Discover fills every endpoint the provider lists, required or not."""
    return choose(ctx.discovery.metadata if ctx.discovery else None, ctx.settings.use_par)


def skip_push(ctx: FlowContext) -> SkipReason | None:
    """The push step runs when PAR is on, and when it was asked for but cannot be done (its
    error then stops the flow); otherwise it says why the request goes in the browser's URL."""
    choice = par_choice(ctx)
    if choice.use or has_errors(choice.findings):
        return None
    plain = "the authorization request goes in the browser's URL"
    if choice.endpoint is None:
        return SkipReason(f"The provider offers no {PAR_ENDPOINT}, so {plain}.",
                          Advice("If it has one, set {pushed_authorization_request_endpoint}.", (PAR_ENDPOINT,)))
    if choice.required:
        return SkipReason(f"Pushed authorization requests are switched off, though the provider requires them: "
                          f"{plain}, and the provider will refuse it.",
                          Advice("Turn on {use_par}, unless the refusal is what you are testing.", ("use_par",)))
    if ctx.settings.use_par is False:
        return SkipReason(f"Pushed authorization requests are switched off, so {plain}.",
                          Advice("Turn on {use_par} to push it (RFC 9126).", ("use_par",)))
    if ctx.discovery is not None and ctx.discovery.configured:
        return SkipReason(f"With the endpoints set by hand, whether the provider requires pushed authorization "
                          f"requests is not known, and they were not asked for, so {plain}.",
                          Advice("Turn on {use_par} to push it to {pushed_authorization_request_endpoint}.",
                                 ("use_par", PAR_ENDPOINT)))
    return SkipReason(f"The provider does not require pushed authorization requests and they were not asked for, "
                      f"so {plain}.", Advice("Turn on {use_par} to push it (RFC 9126).", ("use_par",)))


def prepare_push(ctx: FlowContext, step: Step) -> None:
    params = _request_params(ctx, step)
    if params is not None:
        step.inputs = params


def run_push(ctx: FlowContext, step: Step) -> None:
    """POST the authorization request's parameters with the client's authentication (RFC 9126 §2.1)
    and keep the request_uri answered (§2.2) for the browser step."""
    choice = par_choice(ctx)
    step.findings.extend(replace(finding, part=step.name) for finding in choice.findings)
    step.output["par"] = choice.reason
    if not choice.use or choice.endpoint is None:
        return
    inputs = push_form(step.inputs)
    _note_request(ctx, step, inputs)
    method = auth_method(ctx)
    step.output["auth_method"] = method
    answer = push(ctx.client, choice.endpoint, form_with_resources(inputs),  # type: ignore[arg-type]
                  authenticate=authenticator(ctx, method, choice.endpoint),
                  send_form=_with_dpop(ctx, step), clock=ctx.env.monotonic)
    if ctx.dpop is None and answer.exchange is not None:  # with DPoP each attempt's exchange is on the step
        step.exchanges.append(answer.exchange)
    explained = explain_refusal(ctx, method, answer.findings, answer.oauth_error, code="par_error")
    step.findings.extend(replace(finding, part=finding.part or step.name) for finding in explained)
    if answer.oauth_error:
        step.output["error"] = answer.oauth_error
    if answer.pushed is not None:
        ctx.state(AuthCodeState).pushed = answer.pushed
        step.output["request_uri"] = answer.pushed.request_uri
        step.output["expires_in"] = answer.pushed.expires_in


def _with_dpop(ctx: FlowContext, step: Step) -> SendForm | None:
    """With DPoP on, the push carries a proof for the PAR endpoint, binding the code to the flow's
    key (RFC 9449 §10.1), and is sent once more if the provider asks for its nonce, with a fresh
    client authentication; every proof shows in the step as in the token step."""
    if ctx.dpop is None:
        return None

    def send_form(url: str, build: BuildForm) -> HttpResult:
        body, headers = build()
        return flow_dpop.send(ctx, step, "POST", url, data=body, headers=headers, rebuild=build)

    return send_form


def prepare_authorize(ctx: FlowContext, step: Step) -> None:
    pushed = ctx.state(AuthCodeState).pushed
    if pushed is not None:  # RFC 9126 §4: the browser carries only these two
        step.inputs = {"client_id": ctx.settings.client_id or "", "request_uri": pushed.request_uri}
        return
    params = _request_params(ctx, step)
    if params is not None:
        step.inputs = params


def run_authorize(ctx: FlowContext, step: Step) -> None:
    url = endpoint(ctx, step, "authorization_endpoint")
    if url is None:
        return
    inputs = {name: value for name, value in step.inputs.items() if value != ""}
    auth = ctx.state(AuthCodeState)
    parts = urlsplit(url)
    if auth.pushed is not None:
        expired = expiry_finding(auth.pushed, ctx.env.monotonic(), part=step.name)
        if expired is not None:
            step.findings.append(expired)
            return
        full = browser_url(url, inputs.get("client_id", ""), inputs.get("request_uri", ""))
        step.output["request_uri"] = inputs.get("request_uri", "")
    else:
        step.findings.extend(replace(finding, part=step.name) for finding in par_choice(ctx).findings)
        _note_request(ctx, step, inputs)
        full = urlunsplit(parts._replace(query=urlencode(parse_qsl(parts.query, keep_blank_values=True)
                                                         + param_pairs(inputs))))
    if "openid" in (ctx.scope or "").split():
        preload_verifier()
    query = parse_qsl(urlsplit(full).query, keep_blank_values=True)
    step.output["authorization_request"] = {"method": "GET", "url": urlunsplit(parts._replace(query="")),
                                            "params": redact_mapping(grouped(query)), "sent_by": "browser"}
    opened = ctx.env.open_browser(full) if ctx.settings.open_browser else False
    step.output["url"] = full
    step.output["redirect_uri"] = auth.redirect_uri
    ctx.ask(OpenUrlQuestion(full, opened, auth.redirect_uri, ctx.settings.sign_in_wait,
                            any_port=ctx.settings.redirect_port == 0))


def _note_disabled_protections(step: Step, inputs: dict[str, str]) -> None:
    """Turning off state, nonce or PKCE is allowed (that is how you test a provider), never silent."""
    if not inputs.get("state"):
        step.findings.append(warning("state_disabled", "No state is sent, so a forged authorization response "
                                     "cannot be told apart (RFC 6749 §10.12).", part=step.name))
    if "openid" in inputs.get("scope", "").split() and not inputs.get("nonce"):
        step.findings.append(warning("nonce_disabled", "No nonce is sent, so a replayed ID token cannot be "
                                     "detected (OIDC Core §3.1.2.1).", part=step.name))
    if "code_challenge" not in inputs:
        step.findings.append(warning("pkce_disabled", "PKCE is off, so a stolen authorization code can be "
                                     "redeemed by someone else (RFC 9700 §2.1.1).", part=step.name))


def run_callback(ctx: FlowContext, step: Step) -> None:
    listener = _listener(ctx)
    step.output["listening"] = listener.redirect_uri
    result = listener.wait(ctx.settings.sign_in_wait, ctx.env.cancel)
    step.output["ignored_requests"] = result.ignored_requests
    if result.outcome == "cancelled":
        step.status = StepStatus.CANCELLED
        return
    if result.outcome == "timeout":
        step.findings.append(_timeout(ctx, step, listener))
        return
    step.output["authorization_response"] = {"url": listener.redirect_uri, "params": redact_mapping(result.params),
                                             "received_by": "loopback listener"}
    step.findings.extend(_explained(finding, result.params) for finding in result.findings)
    for name in ("error", "error_description", "error_uri", "iss"):  # what the provider said, for diagnosis
        if result.params.get(name):
            step.output[name] = result.params[name]
    if result.outcome == "ok":
        step.output["code"] = result.params["code"]
        ctx.state(AuthCodeState).code = result.params["code"]


def _timeout(ctx: FlowContext, step: Step, listener: LoopbackListener) -> Finding:
    """The browser never came back: most often the provider refused the redirect URI and showed
    its own error page (it must not redirect to an unregistered URI, RFC 6749 §3.1.2.4)."""
    redirect_uri = ctx.state(AuthCodeState).redirect_uri or listener.redirect_uri
    refused = redirect_refused(redirect_uri, any_port=ctx.settings.redirect_port == 0, waited=True)
    advice = Advice(f"{refused.text} Otherwise finish signing in sooner, or allow more time with "
                    "{sign_in_timeout}.", (*refused.settings, "sign_in_timeout"))
    return error("timeout", f"No authorization response reached {listener.redirect_uri} within "
                 f"{ctx.settings.sign_in_wait:g} seconds.", part=step.name, advice=advice)


def _explained(finding: Finding, params: dict[str, str]) -> Finding:
    """The provider's error answer, with what it means and what to do (RFC 6749 §4.1.2.1)."""
    if finding.code != "callback_error" or not params.get("error"):
        return finding
    return oauth_error_finding("callback_error", "The provider answered the authorization request", params["error"],
                               params.get("error_description"), part=finding.part)


def prepare_token(ctx: FlowContext, step: Step) -> None:
    auth = ctx.state(AuthCodeState)
    step.inputs = {"grant_type": "authorization_code", "code": auth.code, "redirect_uri": auth.redirect_uri}
    if auth.pkce_sent:
        step.inputs["code_verifier"] = auth.code_verifier
    if ctx.settings.resource:  # RFC 8707 §2.2: the token may be asked for some of the granted resources
        step.inputs["resource"] = resource_input(ctx.settings.resource)


def run_token(ctx: FlowContext, step: Step) -> None:
    verifier = step.inputs.get("code_verifier")
    if verifier and verifier.isascii():  # RFC 7636 §4.1: a verifier is ASCII, or the provider refuses it
        # The challenge this verifier answers (§4.6): public, unlike the verifier, which the record
        # masks; a diagnosis compares it with the authorization request's code_challenge.
        step.output["verifier_challenge"] = s256_challenge(verifier)
    response = request_tokens(ctx, step, dict(step.inputs))
    if response is None:
        return
    if "openid" in (ctx.scope or "").split() and "id_token" not in response:
        step.findings.append(error("id_token_missing", "The scope asked for openid but the token response has "
                                   "no id_token (OIDC Core §3.1.3.3).", claim="id_token", part=step.name))


STEPS = [
    DISCOVERY,
    StepSpec("par", "Push the authorization request", run_push, prepare=prepare_push, skip=skip_push),
    StepSpec("authorize", "Send the person to sign in", run_authorize, prepare=prepare_authorize),
    StepSpec("callback", "Receive the authorization response", run_callback),
    StepSpec("token", "Exchange the code for tokens", run_token, prepare=prepare_token),
    ID_TOKEN,
    USERINFO,
]
