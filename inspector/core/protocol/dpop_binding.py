"""Did DPoP take? The token response's ``token_type`` and the access token's binding to the key.

A provider that does not do DPoP for this client ignores the proof and answers as ever, with a
Bearer token (RFC 9449 §5: "token_type: DPoP" is how it says the token is bound). A bound token
names the key by its RFC 7638 thumbprint: ``cnf.jkt`` in a JWT access token (RFC 9449 §6.1), or
in the ``cnf`` of an introspection answer (§6.2). An opaque token's binding only introspection
can tell. Reading ``cnf.jkt`` here verifies nothing about the token itself: it only compares.
"""

from __future__ import annotations

from typing import Any, Mapping

from inspector.core import findings as fnd
from inspector.core.findings import Finding

__all__ = ["authorization_scheme", "check_binding", "token_type_findings"]


def authorization_scheme(token_type: Any) -> str:
    """How to present a token of ``token_type`` (compared case-insensitively, RFC 9449 §5):
    ``DPoP`` (with a proof, §7.1) or ``Bearer`` (RFC 6750 §2.1)."""
    return "DPoP" if isinstance(token_type, str) and token_type.lower() == "dpop" else "Bearer"


def token_type_findings(token_response: Mapping[str, Any], *, dpop_sent: bool, part: str | None = None
                        ) -> list[Finding]:
    """What ``token_type`` says about DPoP, given whether the request carried a proof."""
    token_type = token_response.get("token_type")
    bound = authorization_scheme(token_type) == "DPoP"
    if dpop_sent and bound:
        return [fnd.info("dpop_token_type", "token_type is DPoP: the access token is bound to this flow's key, so "
                         "it is sent as 'Authorization: DPoP …' with a fresh proof on every request "
                         "(RFC 9449 §7.1).",
                         claim="token_type", part=part)]
    if dpop_sent:
        return [fnd.warning("dpop_ignored", f"The request carried a DPoP proof, but token_type is {token_type!r}, "
                            "not DPoP: the provider ignored the proof and issued a Bearer token, which anyone who "
                            "obtains it can use. DPoP may not be enabled for this client at the provider.",
                            claim="token_type", part=part)]
    if bound:
        return [fnd.warning("dpop_unexpected", "token_type is DPoP although the request carried no DPoP proof: "
                            "the token needs a key this client does not have, so it cannot be used.",
                            claim="token_type", part=part)]
    return []


def check_binding(token: str | Mapping[str, Any], thumbprint: str, *, part: str | None = None) -> list[Finding]:
    """Whether ``token`` is bound to the key with RFC 7638 ``thumbprint``: ``token`` is the access
    token (a JWT carries ``cnf.jkt``) or an introspection answer (RFC 7662, with ``cnf``)."""
    if isinstance(token, Mapping):
        return _introspected(token, thumbprint, part)
    from inspector.core.errors import MalformedTokenError
    from inspector.core.jose.parse import decode

    try:
        decoded = decode(token)
    except MalformedTokenError:
        decoded = None
    if decoded is None or decoded.format != "jws" or decoded.claims is None:
        what = "encrypted" if decoded is not None and decoded.format == "jwe" else "not a readable JWT"
        return [fnd.info("dpop_binding_unknown", f"The access token is {what}, so its binding cannot be read from "
                         "it; the provider's introspection endpoint shows it (cnf.jkt, RFC 9449 §6.2).",
                         claim="cnf", part=part)]
    return _compare(decoded.claims.get("cnf"), thumbprint, "The access token", part)


def _introspected(answer: Mapping[str, Any], thumbprint: str, part: str | None) -> list[Finding]:
    if answer.get("active") is not True:
        return [fnd.info("dpop_binding_unknown", "Introspection says the token is not active, so it says nothing "
                         "about its binding.", claim="active", part=part)]
    return _compare(answer.get("cnf"), thumbprint, "Introspection of the access token", part)


def _compare(cnf: Any, thumbprint: str, who: str, part: str | None) -> list[Finding]:
    jkt = cnf.get("jkt") if isinstance(cnf, Mapping) else None
    if jkt is None:
        other = f" (its cnf names another kind of key: {', '.join(map(str, cnf))})" if isinstance(cnf, Mapping) \
            and cnf else ""
        return [fnd.warning("dpop_not_bound", f"{who} shows no cnf.jkt{other}, although DPoP was used: the token "
                            "is not bound to this flow's key, so anyone who obtains it can use it as a Bearer token.",
                            claim="cnf", part=part)]
    if not isinstance(jkt, str):
        return [fnd.error("dpop_binding_mismatch", f"{who} has a cnf.jkt that is not a string, so it names no key "
                          "(RFC 9449 §6.1).", claim="cnf", part=part)]
    if jkt != thumbprint:
        return [fnd.error("dpop_binding_mismatch", f"{who} is bound to the key with thumbprint {jkt} (cnf.jkt), not "
                          f"to this flow's key ({thumbprint}): proofs made with this key will not be accepted "
                          "with it.", claim="cnf", part=part)]
    return [fnd.info("dpop_bound", f"{who} is bound to this flow's DPoP key: cnf.jkt is its RFC 7638 thumbprint "
                     f"{thumbprint} (RFC 9449 §6).", claim="cnf", part=part)]
