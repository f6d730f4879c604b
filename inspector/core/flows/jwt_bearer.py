"""The JWT bearer grant (RFC 7523 §2.1): a signed assertion traded for an access token.

The step's inputs hold the assertion's claims one by one (``assertion.sub``, …), so the GUI can
edit them before anything is signed; the step signs them at send time with the assertion key (or
the profile's private key) and shows the header and claims it signed. An assertion given as is
(``assertion``) is sent unchanged and shown decoded. Either way the assertion itself is a secret
of the record: masked wherever it appears (:mod:`inspector.core.redact`)."""

from __future__ import annotations

import json

from inspector.core.advice import Advice
from inspector.core.findings import error, has_errors
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.flows.steps import DISCOVERY, request_tokens
from inspector.core.protocol.jwt_bearer import (
    CLAIM_INPUT, GRANT_TYPE, claims_from_inputs, default_claims, lifetime_findings, sign_assertion,
)
from inspector.core.protocol.resources import resource_input

__all__ = ["STEPS"]


def _show_decoded(step: Step, assertion: str) -> None:
    from inspector.core.jose.parse import decode

    decoded = decode(assertion)
    step.output["assertion_header"] = decoded.header
    step.output["assertion_claims"] = decoded.claims


def prepare_token(ctx: FlowContext, step: Step) -> None:
    settings = ctx.settings
    inputs = {"grant_type": GRANT_TYPE}
    if settings.assertion:
        inputs["assertion"] = settings.assertion
        _show_decoded(step, settings.assertion)
    else:
        token_endpoint = ctx.discovery.endpoint("token_endpoint") if ctx.discovery else None
        claims = {**default_claims(client_id=settings.client_id or "", audience=token_endpoint or settings.issuer,
                                   now=ctx.env.clock, random=ctx.env.random), **settings.assertion_claims}
        inputs.update({CLAIM_INPUT + name: value if isinstance(value, str) else json.dumps(value)
                       for name, value in claims.items()})
        step.output["assertion_claims"] = claims
    if settings.scope:
        inputs["scope"] = settings.scope
    if settings.resource:
        inputs["resource"] = resource_input(settings.resource)
    inputs.update(settings.extra_params)
    step.inputs = inputs


def _signed_assertion(ctx: FlowContext, step: Step) -> str | None:
    """The claims in the inputs, checked and signed; None (with findings) when they cannot be."""
    claims = claims_from_inputs(step.inputs)
    step.output["assertion_claims"] = claims
    step.findings.extend(lifetime_findings(claims, ctx.env.clock(), step.name))
    if has_errors(step.findings):
        return None
    key = ctx.settings.assertion_key_pem or ctx.settings.private_key_pem
    if not key:
        step.findings.append(error("assertion_key_missing", "There is no key to sign the assertion with; nothing "
                                   "was sent.", part=step.name,
                                   advice=Advice("Give the assertion key (or a private key in {private_key_pem}), "
                                                 "or an assertion made elsewhere.", ("private_key_pem",))))
        return None
    assertion, header = sign_assertion(claims, key, ctx.settings.key_id)
    ctx.flow.sent.add_secret(assertion)  # masked even before the request leaves, and in any echo
    step.output["assertion_header"] = header
    return assertion


def run_token(ctx: FlowContext, step: Step) -> None:
    given = step.inputs.get("assertion", "")
    if given:
        ctx.flow.sent.add_secret(given)
        _show_decoded(step, given)
        assertion: str | None = given
    else:
        assertion = _signed_assertion(ctx, step)
    if assertion is None:
        return
    form = {name: value for name, value in step.inputs.items() if not name.startswith(CLAIM_INPUT)}
    form["assertion"] = assertion
    request_tokens(ctx, step, form)


STEPS = [DISCOVERY, StepSpec("token", "Trade a signed assertion for a token", run_token, prepare=prepare_token)]
