"""The client's authentication as every authenticated step of a flow sends it: the method
chosen from the settings and the provider's metadata, the credentials added at send time (so
no secret or assertion ever sits in ``step.inputs``), and the same words for a refusal wherever
it happens — the token, introspection, revocation, device and pushed authorization request
endpoints all authenticate the client alike (RFC 6749 §2.3, RFC 9126 §2)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from inspector.core.findings import Finding
from inspector.core.flows.context import FlowContext
from inspector.core.protocol.client_auth import AUTO, apply_client_auth, choose_auth_method
from inspector.core.protocol.client_cert import mtls_auth_advice, mtls_auth_note
from inspector.core.protocol.oauth_errors import meaning
from inspector.core.protocol.par import Authenticate

__all__ = ["auth_method", "auth_method_note", "authenticator", "explain_refusal"]


def auth_method(ctx: FlowContext) -> str:
    """The method this flow authenticates with: as set, or chosen from the secret, the key and
    the provider's ``token_endpoint_auth_methods_supported``."""
    supported = ctx.metadata.get("token_endpoint_auth_methods_supported")
    return choose_auth_method(ctx.settings.auth_method, has_secret=bool(ctx.settings.client_secret),
                              has_key=bool(ctx.settings.private_key_pem),
                              has_certificate=bool(ctx.settings.client_cert_pem),
                              supported=supported if isinstance(supported, list) else None)


def authenticator(ctx: FlowContext, method: str, url: str) -> Authenticate:
    """Adds ``method``'s credentials to a form and headers in place and returns findings about
    them; an assertion's audience is the issuer (the endpoint ``url`` when the issuer is unknown)."""
    signing_algs = ctx.metadata.get("token_endpoint_auth_signing_alg_values_supported")
    return partial(apply_client_auth, method, client_id=ctx.settings.client_id or "",
                   secret=ctx.settings.client_secret, key_pem=ctx.settings.private_key_pem,
                   key_id=ctx.settings.key_id, audience=ctx.settings.issuer or url,
                   signing_algs=signing_algs if isinstance(signing_algs, list) else None,
                   now=ctx.env.clock, random=ctx.env.random)


def explain_refusal(ctx: FlowContext, method: str, findings: list[Finding], oauth_error: str | None, *,
                    code: str | None = None) -> list[Finding]:
    """``findings`` about an answer; when its OAuth error is a refusal of the client's
    authentication (invalid_client), each (or each with ``code``: the error's own finding, not
    notes about the credentials) says which method was sent and which the provider supports."""
    known = meaning(oauth_error) if oauth_error else None
    if known is None or not known.client_auth:
        return findings
    note, advice = auth_method_note(ctx, method), mtls_auth_advice(method)
    return [replace(finding, message=f"{finding.message} {note}", advice=advice or finding.advice)
            if code in (None, finding.code) else finding for finding in findings]


def auth_method_note(ctx: FlowContext, method: str) -> str:
    """Which client authentication was sent, and which the provider says it supports (RFC 8414 §2)."""
    sent = f"The client authenticated with {method} "
    sent += "(chosen automatically)" if ctx.settings.auth_method in (None, AUTO) else "(as set)"
    sent = mtls_auth_note(method, ctx.client_certificate, sent)
    if ctx.discovery is None or ctx.discovery.configured:
        return f"{sent}; with the endpoints set by hand, the methods the provider supports are not known."
    supported = ctx.metadata.get("token_endpoint_auth_methods_supported")
    if isinstance(supported, list) and supported:
        listed = ", ".join(str(name) for name in supported)
        return f"{sent}; the provider supports {listed} (token_endpoint_auth_methods_supported)."
    return (f"{sent}; the provider's metadata does not list token_endpoint_auth_methods_supported, "
            "so only client_secret_basic can be assumed (RFC 8414 §2).")
