"""DPoP in a flow (RFC 9449): the flow's key, proofs on its token and userinfo requests, and what
the answers say about the binding.

A flow with ``settings.dpop`` starts a :class:`DpopSession` (the profile's kept key, or a new
ES256 key for this flow) before its first step; from then on every token request (code
redemption, client credentials, device polling, refresh) carries a proof (§5), and userinfo
presents the access token as ``Authorization: DPoP`` with a proof carrying its hash (``ath``,
§7.1). A server that asks for its nonce gets the request once more (§8, §9:
:func:`send_with_dpop`). Every proof sent is shown decoded in the step (``dpop_proofs``): the
proof is public by design (its key is the public half), so nothing in it is masked.

After a token response: ``token_type`` says whether the provider bound the token (§5), and
``cnf.jkt`` of a JWT access token whether it is bound to *this* key (§6.1); an opaque token's
binding only introspection can show (§6.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

from inspector.core.findings import Finding
from inspector.core.flows.context import FlowContext
from inspector.core.flows.model import Step

if TYPE_CHECKING:
    from inspector.core.protocol.dpop_send import DpopAttempt
    from inspector.core.protocol.http import HttpResult

__all__ = ["PROOFS_KEPT", "binding_findings", "send", "shown_proof", "start"]

#: Proofs a step shows at most (device polling sends one per poll): the first and the latest.
PROOFS_KEPT = 10


def start(ctx: FlowContext) -> None:
    """Give the flow its DPoP session when ``settings.dpop`` is on (once): the profile's kept key
    or a new one. The key's private JWK goes on the flow (``Flow.dpop_key``, never rendered) so
    the history can keep it beside a bound token. A kept key that cannot be loaded raises
    :class:`inspector.core.errors.KeySourceError` (the runner makes it the step's finding)."""
    if not ctx.settings.dpop or ctx.dpop is not None:
        return
    from inspector.core.protocol.dpop_session import DpopSession

    ctx.dpop = DpopSession.start(ctx.settings.dpop_key)
    ctx.flow.dpop_key = ctx.dpop.key.to_private_jwk()


def send(ctx: FlowContext, step: Step, method: str, url: str, *, data: Mapping[str, str] | None = None,
         headers: Mapping[str, str] | None = None, access_token: str | None = None,
         rebuild: Callable[[], tuple[Mapping[str, str] | None, Mapping[str, str]]] | None = None) -> HttpResult:
    """Send through :func:`send_with_dpop` with this flow's key and nonces, recording every
    attempt's exchange, the nonce findings and each proof (decoded) on ``step``; returns the last
    attempt's result as :func:`inspector.core.protocol.http.send` would."""
    from inspector.core.protocol.dpop_send import send_with_dpop

    session = ctx.dpop
    if session is None:  # callers check ctx.dpop; a flow without DPoP never gets here
        raise RuntimeError("DPoP is not on for this flow")
    outcome = send_with_dpop(ctx.client, method, url, proofs=session.proofs(clock=ctx.env.clock, random=ctx.env.random),
                             nonces=session.nonces, data=data, headers=headers, access_token=access_token,
                             rebuild=rebuild)
    step.exchanges.extend(outcome.exchanges)
    step.findings.extend(finding for finding in outcome.findings if finding not in step.findings)
    shown: list[dict[str, Any]] = step.output.setdefault("dpop_proofs", [])
    shown.extend(shown_proof(attempt, len(step.exchanges) - len(outcome.attempts) + number)
                 for number, attempt in enumerate(outcome.attempts, 1) if attempt.proof)
    if len(shown) > PROOFS_KEPT:  # the first proof and the latest ones tell the story of a long poll
        step.output["dpop_proofs_omitted"] = step.output.get("dpop_proofs_omitted", 0) + len(shown) - PROOFS_KEPT
        del shown[1:len(shown) - PROOFS_KEPT + 1]
    step.output["dpop_jkt"] = session.key.thumbprint
    return outcome.result


def shown_proof(attempt: DpopAttempt, exchange: int) -> dict[str, Any]:
    """One proof as the step shows it: the request it went with (``exchange``, counted from 1 in
    the step), the server nonce it carried, and its header and claims decoded."""
    from inspector.core.jose.parse import decode

    decoded = decode(attempt.proof)
    return {"exchange": exchange, "nonce": attempt.nonce, "header": decoded.header, "claims": decoded.claims,
            "proof": attempt.proof}


def binding_findings(ctx: FlowContext, step: Step, token_response: Mapping[str, Any]) -> list[Finding]:
    """What the token response says about DPoP: ``token_type`` given whether a proof was sent
    (RFC 9449 §5), and, with DPoP on, whether the access token is bound to this flow's key."""
    from inspector.core.protocol.dpop_binding import authorization_scheme, check_binding, token_type_findings

    found = token_type_findings(token_response, dpop_sent=ctx.dpop is not None, part=step.name)
    access_token = token_response.get("access_token")
    if ctx.dpop is not None and isinstance(access_token, str) \
            and authorization_scheme(token_response.get("token_type")) == "DPoP":
        found += check_binding(access_token, ctx.dpop.key.thumbprint, part=step.name)
    return found
