"""Single-request operations on a token the person already has: introspection (RFC 7662),
revocation (RFC 7009) and userinfo (OIDC Core §5.3)."""

from __future__ import annotations

from typing import Any

from inspector.core.findings import Finding, info, warning
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.flows.steps import DISCOVERY, post_with_client_auth
from inspector.core.flows.userinfo import run_userinfo
from inspector.core.protocol.cert_binding import bound_thumbprint, check_certificate_binding

__all__ = ["INTROSPECT_STEPS", "REVOKE_STEPS", "USERINFO_STEPS"]


def _certificate_binding(ctx: FlowContext, answer: dict[str, Any], part: str) -> list[Finding]:
    """The binding of an introspected token: compared with this client's certificate, or, with
    none, only said (RFC 8705 §3.2)."""
    if ctx.client_certificate is not None:
        return check_certificate_binding(answer, ctx.client_certificate.thumbprint, part=part)
    return [info("cert_bound_elsewhere", f"The token is bound to a client certificate (cnf.x5t#S256 "
                 f"{bound_thumbprint(answer)}): resource servers accept it only over TLS with that certificate "
                 "(RFC 8705 §3).", claim="cnf", part=part)]


def prepare_token_form(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"token": ctx.settings.token or ""}
    if ctx.settings.token_type_hint:
        step.inputs["token_type_hint"] = ctx.settings.token_type_hint


def run_introspection(ctx: FlowContext, step: Step) -> None:
    """RFC 7662 §2.1; an inactive token is a result (§2.2), not a failure."""
    answer = post_with_client_auth(ctx, step, "introspection_endpoint", dict(step.inputs),
                                   error_code="introspection_error")
    if answer.data is None:
        return
    step.output["introspection"] = answer.data
    if answer.data.get("active") is True:
        step.findings.append(info("token_active", "The provider says the token is active."))
        if ctx.client_certificate is not None or bound_thumbprint(answer.data):
            step.findings.extend(_certificate_binding(ctx, answer.data, step.name))
    else:
        step.findings.append(warning("token_inactive", "The provider says the token is not active (expired, "
                                     "revoked, or never issued by it).", claim="active"))


def run_revocation(ctx: FlowContext, step: Step) -> None:
    """RFC 7009 §2.2: HTTP 200 means revoked (or already invalid); the body is ignored."""
    answer = post_with_client_auth(ctx, step, "revocation_endpoint", dict(step.inputs),
                                   error_code="revocation_error", body_optional=True)
    step.output["revoked"] = answer.ok
    if answer.ok:
        step.findings.append(info("token_revoked", "The provider accepted the revocation (RFC 7009 §2.2: it "
                                  "answers the same for tokens that were already invalid)."))


def run_userinfo_alone(ctx: FlowContext, step: Step) -> None:
    run_userinfo(ctx, step, access_token=ctx.settings.token or "")


INTROSPECT_STEPS = [DISCOVERY, StepSpec("introspection", "Ask the provider about the token", run_introspection,
                                        prepare=prepare_token_form)]
REVOKE_STEPS = [DISCOVERY, StepSpec("revocation", "Revoke the token", run_revocation, prepare=prepare_token_form)]
USERINFO_STEPS = [DISCOVERY, StepSpec("userinfo", "Fetch the userinfo claims", run_userinfo_alone)]
