"""Steps and requests shared by several grants: discovery, client-authenticated POSTs, token requests."""

from __future__ import annotations

from typing import Any

from inspector.core.advice import Advice
from inspector.core.findings import Finding, error, warning
from inspector.core.flows import dpop as flow_dpop
from inspector.core.flows.client_auth import auth_method, authenticator, explain_refusal
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step
from inspector.core.protocol.cert_binding import check_certificate_binding
from inspector.core.protocol.http import send
from inspector.core.protocol.resources import form_with_resources
from inspector.core.protocol.responses import JsonAnswer, read_json

__all__ = [
    "CONFIGURED_ENDPOINTS", "DISCOVERY", "accept_token_response", "endpoint", "post_with_client_auth", "request_tokens",
    "send_with_client_auth",
]


def run_discovery(ctx: FlowContext, step: Step) -> None:
    from inspector.core.protocol.discovery import discover

    result = discover(ctx.settings.issuer, ctx.client, allow_http=ctx.settings.allow_http)
    result.mtls = ctx.client_certificate is not None
    ctx.discovery = result
    step.exchanges.extend(result.exchanges)
    step.findings.extend(result.findings)
    if result.metadata is not None:
        step.output["issuer"] = result.metadata.get("issuer")


DISCOVERY = StepSpec("discovery", "Fetch the provider's metadata", run_discovery)


def run_configured(ctx: FlowContext, step: Step) -> None:
    """In place of discovery when endpoints are set by hand: no request; every endpoint this grant
    needs (``ctx.endpoints_needed``, from its grant) must be there, so a missing one stops the
    flow before anything is sent."""
    from inspector.core.protocol.discovery import configured

    ctx.discovery = configured(ctx.settings.issuer, ctx.settings.endpoints, allow_http=ctx.settings.allow_http)
    step.findings.extend(ctx.discovery.findings)
    step.output["endpoints"] = dict(ctx.settings.endpoints)
    for name in ctx.endpoints_needed:
        if name not in ctx.settings.endpoints:
            step.findings.append(missing_endpoint(ctx, step, name))


CONFIGURED_ENDPOINTS = StepSpec("endpoints", "Use the configured endpoints", run_configured)


def missing_endpoint(ctx: FlowContext, step: Step, name: str) -> Finding:
    """``endpoint_missing`` naming the field to set (configured by hand, or absent from the metadata)."""
    if ctx.discovery is not None and ctx.discovery.configured:
        text, advice = (f"No {name} is configured, and this flow needs it.",
                        Advice(f"Set {{{name}}}.", (name,)))
    else:
        text, advice = (f"The provider's metadata has no {name}, and this flow needs it.",
                        Advice(f"If you know it, set the endpoints by hand ({{{name}}} and the others the flow "
                               "needs), which replaces discovery.", (name,)))
    return error("endpoint_missing", text, claim=name, part=step.name, advice=advice)


def endpoint(ctx: FlowContext, step: Step, name: str) -> str | None:
    """The endpoint URL from the metadata, or an error finding saying it is missing."""
    url = ctx.discovery.endpoint(name) if ctx.discovery else None
    if url is None:
        step.findings.append(missing_endpoint(ctx, step, name))
    return url


def send_with_client_auth(ctx: FlowContext, step: Step, url: str, form: dict[str, str], *,
                          what: str, error_code: str, body_optional: bool = False, dpop: bool = False) -> JsonAnswer:
    """POST ``form`` with the client's authentication added at send time (so no secret or
    assertion ever sits in ``step.inputs``), recording the exchange on ``step``; the answer's
    findings are left to the caller (device polling expects some errors).

    ``dpop``: a token request, which carries a DPoP proof when the flow has DPoP on (RFC 9449 §5);
    a retry for the server's nonce gets a fresh client assertion (its ``jti`` is single-use)."""
    form = {name: value for name, value in form.items() if value != ""}
    method = auth_method(ctx)
    step.output.setdefault("auth_method", method)
    authenticate = authenticator(ctx, method, url)

    def authenticated() -> tuple[dict[str, str], dict[str, str]]:
        body, headers = dict(form), {}
        notes = authenticate(body, headers)
        step.findings.extend(note for note in notes if note not in step.findings)  # once, not per device poll
        return body, headers

    body, headers = authenticated()
    if dpop and ctx.dpop is not None:
        http = flow_dpop.send(ctx, step, "POST", url, data=body, headers=headers, rebuild=authenticated)
    else:
        http = send(ctx.client, "POST", url, data=body, headers=headers)
        step.exchanges.append(http.exchange)
    if body_optional and http.finding is None and http.exchange.status == 200:
        return JsonAnswer(http.exchange.body if isinstance(http.exchange.body, dict) else {})
    answer = read_json(http, endpoint=what, error_code=error_code)
    answer.findings = explain_refusal(ctx, method, answer.findings, answer.oauth_error)
    return answer


def post_with_client_auth(ctx: FlowContext, step: Step, endpoint_name: str, form: dict[str, str], *,
                          error_code: str, body_optional: bool = False, dpop: bool = False) -> JsonAnswer:
    """POST ``form`` to the metadata endpoint ``endpoint_name`` (``send_with_client_auth``), with the
    answer's findings (and OAuth error) put on ``step``. Without that endpoint the answer has no
    data and the step an ``endpoint_missing`` finding."""
    url = endpoint(ctx, step, endpoint_name)
    if url is None:
        return JsonAnswer(None)
    answer = send_with_client_auth(ctx, step, url, form, what=endpoint_name.replace("_", " "),
                                   error_code=error_code, body_optional=body_optional, dpop=dpop)
    step.findings.extend(answer.findings)
    if answer.oauth_error:
        step.output["error"] = answer.oauth_error
    return answer


def request_tokens(ctx: FlowContext, step: Step, form: dict[str, str]) -> dict[str, Any] | None:
    """One token request (RFC 6749 §3.2), with a DPoP proof when the flow has DPoP on (RFC 9449
    §5); a valid response (§5.1) is announced to the observer. A ``resource`` input goes out as
    one parameter per resource (RFC 8707 §2)."""
    answer = post_with_client_auth(ctx, step, "token_endpoint", form_with_resources(form),  # type: ignore[arg-type]
                                   error_code="token_error", dpop=True)
    return accept_token_response(ctx, step, answer)


def accept_token_response(ctx: FlowContext, step: Step, answer: JsonAnswer) -> dict[str, Any] | None:
    body = answer.data
    if body is None:
        return None
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        step.findings.append(error("invalid_response", "The token response has no access_token "
                                   "(RFC 6749 §5.1).", claim="access_token", part=step.name))
        return None
    token_type = body.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() not in ("bearer", "dpop", "n_a"):
        step.findings.append(warning("token_type_unexpected", f"The token_type is {token_type!r}; "
                                     "clients expect 'Bearer' (RFC 6750).", claim="token_type", part=step.name))
    step.findings.extend(_scope_findings(step, body.get("scope"), step.inputs.get("scope") or ctx.scope))
    if ctx.client_certificate is not None:
        step.findings.extend(check_certificate_binding(body["access_token"], ctx.client_certificate.thumbprint,
                                                       part=step.name))
    step.findings.extend(flow_dpop.binding_findings(ctx, step, body))
    step.output["token"] = body
    ctx.token_response = body
    ctx.observer.token_obtained(ctx.flow, step, body)
    return body


def _scope_findings(step: Step, granted: Any, requested: str | None) -> list[Finding]:
    """``scope_narrowed`` when the provider granted less than was asked for. Without a ``scope``
    in the response the requested scope was granted as is (RFC 6749 §3.3, §5.1)."""
    if not requested or not isinstance(granted, str):
        return []
    missing = [name for name in requested.split() if name not in granted.split()]
    if not missing:
        return []
    names = ", ".join(missing)
    return [warning("scope_narrowed", f"The provider granted the scope {granted!r}, narrower than requested: "
                    f"{names} {'was' if len(missing) == 1 else 'were'} not granted (RFC 6749 §3.3, §5.1).",
                    claim="scope", part=step.name,
                    advice=Advice("If the app needs them, have them allowed for this client (and for the person's "
                                  "consent) at the provider; otherwise remove them from {scope}.", ("scope",)))]
