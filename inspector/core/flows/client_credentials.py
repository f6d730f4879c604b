"""The client credentials grant (RFC 6749 §4.4): a confidential client asks for its own token."""

from __future__ import annotations

from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.flows.steps import DISCOVERY, request_tokens
from inspector.core.protocol.resources import resource_input

__all__ = ["STEPS"]


def prepare_token(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"grant_type": "client_credentials"}
    if ctx.settings.scope:
        step.inputs["scope"] = ctx.settings.scope
    if ctx.settings.resource:
        step.inputs["resource"] = resource_input(ctx.settings.resource)
    step.inputs.update(ctx.settings.extra_params)


def run_token(ctx: FlowContext, step: Step) -> None:
    request_tokens(ctx, step, dict(step.inputs))


STEPS = [DISCOVERY, StepSpec("token", "Request a token for the client itself", run_token, prepare=prepare_token)]
