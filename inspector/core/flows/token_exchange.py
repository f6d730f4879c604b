"""Token exchange (RFC 8693): a client trades a token it holds (the subject token, and for
delegation an actor token) for another one, for another audience or resource.

The response must say what it issued (``issued_token_type``, §2.2.1); ``token_type`` may be
``N_A`` when the issued token is no access token. The issued token is in ``access_token``
whatever its type, and goes to the history like any other."""

from __future__ import annotations

from inspector.core.advice import Advice
from inspector.core.findings import error, info, warning
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.flows.steps import DISCOVERY, request_tokens
from inspector.core.protocol.resources import resource_input
from inspector.core.protocol.token_types import TOKEN_TYPES, token_type_name, token_type_urn

__all__ = ["GRANT_TYPE", "STEPS"]

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
_TYPES = ("subject_token_type", "actor_token_type", "requested_token_type")


def prepare_token(ctx: FlowContext, step: Step) -> None:
    settings = ctx.settings
    inputs = {"grant_type": GRANT_TYPE, "subject_token": settings.token or "",
              "subject_token_type": token_type_urn(settings.subject_token_type or "access_token") or ""}
    if settings.actor_token:
        inputs["actor_token"] = settings.actor_token
        inputs["actor_token_type"] = token_type_urn(settings.actor_token_type or "") or ""
    if settings.audience:
        inputs["audience"] = settings.audience
    if settings.resource:
        inputs["resource"] = resource_input(settings.resource)
    if settings.scope:
        inputs["scope"] = settings.scope
    if settings.requested_token_type:
        inputs["requested_token_type"] = token_type_urn(settings.requested_token_type) or ""
    inputs.update(settings.extra_params)
    step.inputs = inputs


def _input_problems(step: Step) -> list[str]:
    """What would make the provider refuse the request outright (RFC 8693 §2.1), said before sending."""
    inputs = step.inputs
    problems = []
    if not inputs.get("subject_token"):
        problems.append("there is no subject_token: give the token to exchange")
    if not inputs.get("subject_token_type"):
        problems.append("there is no subject_token_type: say what the subject token is (e.g. access_token)")
    if inputs.get("actor_token") and not inputs.get("actor_token_type"):
        problems.append("an actor_token needs its actor_token_type")
    for name in _TYPES:
        if inputs.get(name) and token_type_urn(inputs[name]) is None:
            problems.append(f"{name} {inputs[name]!r} is neither a URN nor one of {', '.join(TOKEN_TYPES)}")
    return problems


def run_token(ctx: FlowContext, step: Step) -> None:
    problems = _input_problems(step)
    if problems:
        step.findings.append(error("token_exchange_incomplete", "Nothing was sent: " + "; ".join(problems) +
                                   " (RFC 8693 §2.1).", part=step.name))
        return
    form = dict(step.inputs)
    for name in _TYPES:  # short names as typed in the step's inputs go out as the URNs
        if form.get(name):
            form[name] = token_type_urn(form[name]) or form[name]
    response = request_tokens(ctx, step, form)
    if response is None:
        return
    issued = response.get("issued_token_type")
    if not isinstance(issued, str) or not issued:
        step.findings.append(error("issued_token_type_missing", "The token exchange response has no "
                                   "issued_token_type, which RFC 8693 §2.2.1 requires: the client cannot tell what "
                                   "kind of token it received.", claim="issued_token_type", part=step.name))
        return
    step.output["issued_token_type"] = issued
    step.findings.append(info("issued_token_type", f"The provider issued {token_type_name(issued)} ({issued}).",
                              claim="issued_token_type", part=step.name))
    requested = form.get("requested_token_type")
    if requested and requested != issued:
        wanted = token_type_name(requested)
        step.findings.append(warning("issued_token_type_differs", f"{wanted[:1].upper()}{wanted[1:]} was requested, "
                                     f"but {token_type_name(issued)} was issued (RFC 8693 §2.2.1 "
                                     "lets the provider choose).", claim="issued_token_type", part=step.name,
                                     advice=Advice("If the resource needs the requested type, ask the provider "
                                                   "which types it can issue for this subject.")))


STEPS = [DISCOVERY, StepSpec("token", "Exchange the subject token", run_token, prepare=prepare_token)]
