"""The step a token-producing grant ends with: call an API with the access token just obtained and
say what it answered (the OAuth Playground's third step). Its inputs — ``method``, ``url``,
``body``, and any other name is a request header (``Accept``: ``application/json``) — are the
request, editable before it is sent like any step's (the GUI's Add puts a header); the URL comes from
``FlowSettings.api_url``, and without one the step is skipped, saying so.

The token goes as the token response's ``token_type`` says (RFC 9449 §5): ``DPoP`` with a proof
of the flow's DPoP key (``ctx.dpop``), with the nonce round done once; otherwise ``Bearer``. What
the API answered, its challenges read into findings, and the proofs sent (decoded) are the step's
output, shown by every front end as any step's (:mod:`inspector.core.protocol.api_call`).
"""

from __future__ import annotations

from inspector.core.flows.context import FlowContext, SkipReason, StepSpec
from inspector.core.flows.model import Step
from inspector.core.protocol.api_call import BEARER, Authorizer, call_api, is_secret_header
from inspector.core.protocol.api_input import build_request
from inspector.core.protocol.dpop_binding import authorization_scheme

__all__ = ["API_CALL", "REQUEST_INPUTS", "run_api_call"]

#: The inputs that are not headers.
REQUEST_INPUTS = ("method", "url", "body")


def _no_call(ctx: FlowContext) -> SkipReason | None:
    if not ctx.settings.api_url:
        return SkipReason("No API was called: no API URL was set (the flow's API URL, or --call URL).")
    if not isinstance((ctx.token_response or {}).get("access_token"), str):
        return SkipReason("No API was called: the flow obtained no access token to call it with.")
    return None


def prepare_api_call(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"method": ctx.settings.api_method or "GET", "url": ctx.settings.api_url or "", "body": ""}


def _authorizer(ctx: FlowContext) -> Authorizer:
    """DPoP when the token is DPoP-bound and the flow has its key; else Bearer (a provider that
    ignored the proof issued a Bearer token, which DPoP would only get refused)."""
    token_type = (ctx.token_response or {}).get("token_type")
    if ctx.dpop is not None and authorization_scheme(token_type) == "DPoP":
        from inspector.core.protocol.api_dpop import DpopAuthorizer

        return DpopAuthorizer(ctx.dpop, clock=ctx.env.clock, random=ctx.env.random)
    return BEARER


def run_api_call(ctx: FlowContext, step: Step) -> None:
    headers = tuple((name, value) for name, value in step.inputs.items() if name not in REQUEST_INPUTS)
    request = build_request(step.inputs.get("method", ""), step.inputs.get("url", ""), headers,
                            step.inputs.get("body", ""))
    token = (ctx.token_response or {})["access_token"]
    ctx.flow.sent.add("access_token", token)
    for name, value in request.headers:
        if is_secret_header(name):
            ctx.flow.sent.add_secret(value)
    answer = call_api(ctx.client, request, token, authorizer=_authorizer(ctx), allow_http=ctx.settings.allow_http,
                      kind="access_token", now=ctx.env.clock)
    step.exchanges.extend(answer.exchanges)
    step.findings.extend(answer.findings)
    shown = answer.to_json(show_tokens=True)  # the step's own redactor masks it when shown
    step.output["api"] = {name: shown[name] for name in ("status", "reason", "headers", "body", "body_type")}
    if answer.proofs:
        step.output["dpop_proofs"] = shown["dpop_proofs"]


API_CALL = StepSpec("api_call", "Call an API", run_api_call, prepare=prepare_api_call, skip=_no_call)
