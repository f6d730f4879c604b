"""The UserInfo request (OIDC Core §5.3): plain JSON, or a JWT (§5.3.2) signed (verified with the
provider's keys), encrypted to the client (decrypted with the settings' key) or both; its ``sub``
must equal the ID token's, or its claims must not be used."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from inspector.core.advice import Advice
from inspector.core.findings import Finding, error, has_errors, info
from inspector.core.flows import dpop as flow_dpop
from inspector.core.flows.context import FlowContext, SkipReason, StepSpec
from inspector.core.flows.encrypted import open_token
from inspector.core.flows.id_token import ADD_OPENID, verify_with_provider_keys
from inspector.core.flows.model import Step
from inspector.core.flows.steps import endpoint
from inspector.core.protocol.cert_binding import refusal_findings as certificate_refusal_findings
from inspector.core.protocol.http import HttpResult, send
from inspector.core.protocol.responses import read_json

__all__ = ["USERINFO", "refusal_findings", "run_userinfo"]

if TYPE_CHECKING:
    import httpx

#: Where a person turns DPoP on (a setting name, see :mod:`inspector.core.advice`).
TURN_ON_DPOP = Advice("Turn on {dpop}, so the token is sent as 'Authorization: DPoP' with a proof of the key "
                      "it is bound to (with the key it was issued for: the profile's kept DPoP key, or the "
                      "history's for a saved token).", ("dpop",))


def _signed_claims(ctx: FlowContext, step: Step, http: HttpResult) -> dict[str, Any] | None:
    """The claims of an ``application/jwt`` answer (§5.3.2): signed (verified with the provider's
    keys), encrypted to the client (decrypted first), or both, a nested JWS. Content only
    encrypted is allowed there: its claims are read, unsigned."""
    decoded = open_token(ctx, step, http.response.text.strip(), "userinfo response")
    if decoded is None:
        return None
    if decoded.decrypted and decoded.format == "jwe":
        step.output["signed"] = False
        step.findings.append(info("userinfo_unsigned", "The userinfo response was encrypted to the client but not "
                                  "signed, which OIDC Core §5.3.2 allows: the encryption keeps it private, but only "
                                  "the TLS connection vouches that the provider wrote it."))
        return decoded.claims if not has_errors(decoded.findings) else None
    report = verify_with_provider_keys(ctx, step, decoded,
                                       algorithms_field="userinfo_signing_alg_values_supported", id_token=False)
    step.output["signed"] = True
    return report.decoded.claims if report.valid else None


def run_userinfo(ctx: FlowContext, step: Step, *, access_token: str | None = None) -> None:
    url = endpoint(ctx, step, "userinfo_endpoint")
    if url is None:
        return
    token = access_token or (ctx.token_response or {})["access_token"]
    scheme = _scheme(ctx)
    step.output["authorization_scheme"] = scheme
    if scheme == "DPoP":
        http = flow_dpop.send(ctx, step, "GET", url, access_token=token)
    else:
        http = send(ctx.client, "GET", url, headers={"Authorization": f"Bearer {token}"})
        step.exchanges.append(http.exchange)
    if http.response is not None and http.response.status_code == 401:
        challenge = http.response.headers.get("www-authenticate", "")
        step.findings.append(error("userinfo_error", f"The userinfo endpoint refused the access token (HTTP 401"
                                   f"{': ' + challenge if challenge else ''}).", part=step.name))
        step.findings.extend(refusal_findings(ctx, step, http.response, token, scheme))
        return
    content_type = http.response.headers.get("content-type", "") if http.response is not None else ""
    if http.finding is None and http.response.status_code == 200 and content_type.startswith("application/jwt"):
        claims = _signed_claims(ctx, step, http)
    else:
        answer = read_json(http, endpoint="userinfo endpoint", error_code="userinfo_error")
        step.findings.extend(answer.findings)
        claims = answer.data
    if claims is None:
        return
    step.output["claims"] = claims
    expected = (ctx.id_token_claims or {}).get("sub")
    if expected is not None and claims.get("sub") != expected:
        step.findings.append(error("userinfo_sub_mismatch", f"The userinfo sub {claims.get('sub')!r} differs "
                                   f"from the ID token's {expected!r}; its claims must not be used (OIDC Core §5.3.2).",
                                   claim="sub", part=step.name))
    elif expected is not None:
        step.findings.append(info("userinfo_sub_match", "The userinfo sub matches the ID token's.", claim="sub"))


def _scheme(ctx: FlowContext) -> str:
    """``DPoP`` when the flow has DPoP on and the token is bound (``token_type: DPoP``), or it was
    given alone (a token grant cannot know, and ``--dpop`` says it is); else ``Bearer``."""
    from inspector.core.protocol.dpop_binding import authorization_scheme

    if ctx.dpop is None:
        return "Bearer"
    if ctx.token_response is None:
        return "DPoP"
    return authorization_scheme(ctx.token_response.get("token_type"))


def refusal_findings(ctx: FlowContext, step: Step, response: "httpx.Response", token: str,
                     scheme: str) -> list[Finding]:
    """Why the endpoint refused the token, from its ``WWW-Authenticate`` challenges (RFC 6750 §3,
    RFC 9449 §7.1): most usefully, a DPoP-bound token sent as Bearer (§7.2); and from its
    certificate binding (RFC 8705 §3), a bound token sent without its certificate."""
    from inspector.core.errors import MalformedTokenError
    from inspector.core.jose.parse import decode
    from inspector.core.protocol.challenges import TokenFacts, challenge_findings, read_challenges
    from inspector.core.protocol.dpop_binding import authorization_scheme
    from inspector.core.protocol.dpop_nonce import server_nonce

    try:
        decoded = decode(token)
        claims = decoded.claims if decoded.format == "jws" else None
    except MalformedTokenError:
        claims = None
    facts = TokenFacts.of(scheme, claims)
    challenges, found = read_challenges(response.headers.get_list("www-authenticate"))
    for finding in challenge_findings(response.status_code, challenges, facts,
                                      dpop_nonce=server_nonce(response.headers), now=ctx.env.clock()):
        # "the API accepts only DPoP tokens": here, the setting that makes the flow send them
        advice = TURN_ON_DPOP if finding.code == "dpop_required" else finding.advice
        found.append(replace(finding, part=finding.part or step.name, advice=advice))
    issued_bound = ctx.token_response is not None and \
        authorization_scheme(ctx.token_response.get("token_type")) == "DPoP"
    if scheme == "Bearer" and (facts.bound_jkt or issued_bound):
        named = f" (cnf.jkt {facts.bound_jkt})" if facts.bound_jkt else " (token_type DPoP)"
        found.append(error("dpop_bound_as_bearer", f"This access token is bound to a DPoP key{named}, but it was "
                           "sent as 'Authorization: Bearer' without a proof, so the provider refuses it: a bound "
                           "token is only accepted with the DPoP scheme and a proof signed by its key (RFC 9449 "
                           "§7.1, §7.2).", claim="cnf" if facts.bound_jkt else "token_type", part=step.name,
                           advice=TURN_ON_DPOP))
    if scheme == "DPoP" and ctx.token_response is None and not ctx.settings.dpop_key:
        found.append(info("dpop_new_key", "The proof was signed by a key made for this request alone (no DPoP key "
                          "is kept for the profile), so a token bound to another key is refused: use the key it "
                          "was issued for.", part=step.name))
    found.extend(certificate_refusal_findings(
        token, response.headers.get("www-authenticate", ""), certificate_sent=ctx.client_certificate is not None,
        provider_binds=bool(ctx.metadata.get("tls_client_certificate_bound_access_tokens")), part=step.name))
    return found


def _no_userinfo(ctx: FlowContext) -> SkipReason | None:
    """UserInfo is part of OpenID Connect (OIDC Core §5.3): it needs openid in the scope as sent
    (after any edit), the provider's endpoint, and an access token to call it with."""
    scope = ctx.scope if ctx.scope is not None else ctx.settings.scope or ""
    if "openid" not in scope.split():
        return SkipReason(f"UserInfo was not called: it belongs to OpenID Connect, and the scope sent ({scope!r}) "
                          "did not include openid (OIDC Core §5.3).", ADD_OPENID)
    if not (ctx.discovery and ctx.discovery.endpoint("userinfo_endpoint")):
        where = "no userinfo endpoint is set" if ctx.discovery and ctx.discovery.configured else \
            "the provider's metadata has no userinfo_endpoint"
        return SkipReason(f"UserInfo was not called: {where}.")
    if not isinstance((ctx.token_response or {}).get("access_token"), str):
        return SkipReason("UserInfo was not called: there is no access token to call it with.")
    return None


USERINFO = StepSpec("userinfo", "Fetch the userinfo claims", run_userinfo, skip=_no_userinfo)
