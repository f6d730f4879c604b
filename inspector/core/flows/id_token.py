"""ID token validation inside a flow (OIDC Core §3.1.3.7) with the JOSE core's verify, and the
provider's keys: its JWKS (through the shared cache, refetched once on an unknown kid) plus the
client secret for HS* tokens."""

from __future__ import annotations

from typing import Any

from inspector.core.advice import Advice
from inspector.core.findings import error, has_errors, warning
from inspector.core.flows.context import FlowContext, SkipReason, StepSpec
from inspector.core.flows.encrypted import open_token
from inspector.core.flows.model import Step
from inspector.core.flows.steps import missing_endpoint
from inspector.core.jose.parse import DecodedToken, decode

__all__ = ["ADD_OPENID", "ID_TOKEN", "preload_verifier", "provider_keys", "verify_with_provider_keys"]


def preload_verifier() -> None:
    """Import the JOSE verifier (PyJWT, cryptography: tens of milliseconds) on a thread while the
    flow waits for the person, so validating the ID token later costs no import time."""
    import threading

    from inspector.core import threads

    threads.start(threading.Thread(target=_import_verifier, name="preload-jose"))


def _import_verifier() -> None:
    try:
        import inspector.core.jose.verify  # noqa: F401
    except Exception:  # noqa: BLE001 - the id_token step imports it again and reports any failure as a finding
        pass


def provider_keys(ctx: FlowContext, step: Step, header: dict[str, Any] | None) -> list:
    """The keys a token from this provider may be signed with; the header's kid only selects."""
    from inspector.core.jose.keys import from_secret

    keys: list = []
    jwks_uri = ctx.discovery.endpoint("jwks_uri") if ctx.discovery else None
    alg = (header or {}).get("alg")
    if not jwks_uri and not (isinstance(alg, str) and alg.startswith("HS") and ctx.settings.client_secret):
        step.findings.append(missing_endpoint(ctx, step, "jwks_uri"))
    if jwks_uri:
        kid = (header or {}).get("kid")
        fetched = ctx.jwks.keys(ctx.client, jwks_uri, kid if isinstance(kid, str) else None)
        step.exchanges.extend(fetched.exchanges)
        step.findings.extend(fetched.findings)
        keys.extend(fetched.keys)
        step.output["jwks_refetched"] = fetched.refetched
    if ctx.settings.client_secret:
        keys.append(from_secret(ctx.settings.client_secret))
    return keys


def verify_with_provider_keys(ctx: FlowContext, step: Step, token: str | DecodedToken, *, algorithms_field: str,
                              id_token: bool = True, nonce: str | None = None,
                              access_token: str | None = None) -> Any:
    """Verify ``token`` (text, or already decoded: the content of a decrypted JWE) as issued by
    this provider for this client; findings go on ``step``. ``id_token`` applies the ID token
    rules (required claims, azp); a signed userinfo response only needs iss and aud when it has
    them (OIDC Core §5.3.2)."""
    from inspector.core.jose.verify import Expectations, verify

    decoded = token if isinstance(token, DecodedToken) else decode(token)
    keys = provider_keys(ctx, step, decoded.header)
    algorithms = _allowed_algorithms(ctx, algorithms_field)
    claims = decoded.claims or {}
    audiences = (ctx.settings.client_id,) if ctx.settings.client_id and (id_token or "aud" in claims) else ()
    issuer = ctx.settings.issuer or None
    if issuer is None and id_token:
        step.findings.append(warning("issuer_unchecked", "No issuer is configured, so the ID token's iss cannot be "
                                     "checked (OIDC Core §3.1.3.7).", claim="iss", part=step.name,
                                     advice=Advice("Set {issuer} beside the endpoints.", ("issuer",))))
    expect = Expectations(issuer=issuer if id_token or "iss" in claims else None, audiences=audiences,
                          nonce=nonce, client_id=ctx.settings.client_id if id_token else None,
                          algorithms=algorithms, leeway=ctx.settings.leeway, access_token=access_token)
    report = verify(decoded, keys, expect, now=ctx.env.clock())
    step.findings.extend(report.findings)
    if report.key is not None:
        step.output["key"] = report.key.to_json()
    return report


def _allowed_algorithms(ctx: FlowContext, field: str) -> tuple[str, ...]:
    """What the metadata advertises (RS256 when it says nothing, OIDC Core §3.1.3.7); with endpoints
    set by hand nothing is advertised, so every supported algorithm whose key family matches a key
    the provider publishes (or the client secret, for HS*) — the verifier never mixes families."""
    if ctx.discovery is not None and ctx.discovery.configured:
        return ()
    metadata = ctx.metadata
    advertised = metadata.get(field) or metadata.get("id_token_signing_alg_values_supported")
    return tuple(a for a in (advertised or ["RS256"]) if isinstance(a, str) and a != "none")


def run_id_token(ctx: FlowContext, step: Step) -> None:
    """Every JOSE check: signature against the provider's keys, iss, aud, azp, exp/iat, this
    flow's nonce, at_hash of the access token issued with it. An encrypted ID token is decrypted
    first with the settings' decryption key (§3.1.3.7 step 1); its nested JWS is then verified."""
    response = ctx.token_response or {}
    ctx.id_token_claims = None
    decoded = open_token(ctx, step, response["id_token"], "ID token")
    if decoded is None:
        step.output["valid"] = False
        return
    report = verify_with_provider_keys(ctx, step, decoded,
                                       algorithms_field="id_token_signing_alg_values_supported",
                                       nonce=ctx.nonce, access_token=response.get("access_token"))
    step.output["claims"] = report.decoded.claims
    step.output["valid"] = report.valid
    if not report.valid and not has_errors(step.findings):
        step.findings.append(error("id_token_invalid", "The ID token did not verify.", part=step.name))
    ctx.id_token_claims = report.decoded.claims if report.valid else None


#: Asking for openid is what makes a flow OpenID Connect: an ID token, and userinfo (OIDC Core §3.1.2.1).
ADD_OPENID = Advice("Add openid to {scope} to get an ID token and the userinfo claims.", ("scope",))


def _without_openid(ctx: FlowContext) -> str | None:
    """The scope sent when it lacked openid (after any edit of the request), else None."""
    scope = ctx.scope
    return scope if scope is not None and "openid" not in scope.split() else None


def _no_id_token(ctx: FlowContext) -> SkipReason | None:
    if isinstance((ctx.token_response or {}).get("id_token"), str):
        return None
    scope = _without_openid(ctx)
    if scope is not None:
        return SkipReason(f"There is no ID token to validate: the scope sent ({scope!r}) did not include openid, "
                          "so the provider issued OAuth tokens only (OIDC Core §3.1.2.1).", ADD_OPENID)
    if ctx.flow.grant == "refresh":
        return SkipReason("There is no ID token to validate: the refresh response has none, which is allowed "
                          "(OIDC Core §12.2).")
    return SkipReason("There is no ID token to validate: the token response has none.")


ID_TOKEN = StepSpec("id_token", "Validate the ID token", run_id_token, skip=_no_id_token)
