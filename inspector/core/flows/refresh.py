"""The refresh token grant (RFC 6749 §6), reporting whether the refresh token rotated
(RFC 9700 §4.14.2: public clients' refresh tokens should rotate or be sender-constrained)."""

from __future__ import annotations

from inspector.core.findings import info, warning
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.flows.id_token import ID_TOKEN
from inspector.core.flows.steps import DISCOVERY, request_tokens
from inspector.core.protocol.resources import resource_input

__all__ = ["STEPS"]


def prepare_token(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"grant_type": "refresh_token", "refresh_token": ctx.settings.token or ""}
    if ctx.settings.scope:
        step.inputs["scope"] = ctx.settings.scope
    if ctx.settings.resource:
        step.inputs["resource"] = resource_input(ctx.settings.resource)
    step.inputs.update(ctx.settings.extra_params)


def run_token(ctx: FlowContext, step: Step) -> None:
    sent = step.inputs.get("refresh_token", "")
    response = request_tokens(ctx, step, dict(step.inputs))
    if response is None:
        return
    issued = response.get("refresh_token")
    rotated = isinstance(issued, str) and issued != sent
    step.output["rotated"] = rotated
    if rotated:
        step.findings.append(info("refresh_token_rotated", "The provider issued a new refresh token; "
                                  "use it from now on (the old one may already be revoked).", claim="refresh_token"))
    else:
        step.findings.append(warning("refresh_token_not_rotated", "The refresh token did not rotate; a leaked "
                                     "one stays usable until it expires (RFC 9700 §4.14.2).", claim="refresh_token"))


STEPS = [DISCOVERY, StepSpec("token", "Use the refresh token", run_token, prepare=prepare_token), ID_TOKEN]
