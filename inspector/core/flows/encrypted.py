"""Encrypted answers inside a flow: an ID token (OIDC Core §3.1.3.7, step 1) or a userinfo response
(§5.3.2) the provider encrypted to the client's key (the ``id_token_encrypted_response_alg`` and
``userinfo_encrypted_response_alg`` a client registers, OIDC Registration §2) is decrypted with the
settings' decryption key before anything in it is read, then verified as if it had come signed.

The decryption is the JOSE core's (:func:`inspector.core.jose.jwe.decrypt`): its findings go on
the step, and content that failed to decrypt is never shown. The token's own header names the
algorithms and may name a ``kid``; it never supplies the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.core.advice import Advice
from inspector.core.errors import KeySourceError
from inspector.core.findings import error
from inspector.core.jose.parse import DecodedToken, decode

if TYPE_CHECKING:
    from inspector.core.flows.context import FlowContext
    from inspector.core.flows.model import Step

__all__ = ["GIVE_DECRYPTION_KEY", "open_token"]

#: Where the key comes from: the profile (kept in the keyring) or a file given for this run.
GIVE_DECRYPTION_KEY = Advice("Give {decryption_key}: the private key whose public half the client registered "
                             "with the provider (its jwks or jwks_uri) for encryption.", ("decryption_key",))


def open_token(ctx: FlowContext, step: Step, token: str, what: str) -> DecodedToken | None:
    """``token`` decoded, decrypted first when it is a JWE (RFC 7516): the content (a nested JWS
    keeps its own header, and is marked ``decrypted``), or None when it cannot be decrypted (the
    findings on ``step`` say why). ``what`` names the token in messages ("ID token").

    The step's output says what was done: ``encrypted`` (the JWE header's alg, enc and kid) and
    ``decrypted``. Raises MalformedTokenError when nothing in ``token`` can be read.
    """
    decoded = decode(token)
    if decoded.format != "jwe":
        return decoded
    from inspector.core.jose.jwe import decrypt, needed_key

    header = decoded.header or {}
    step.output["encrypted"] = {name: header[name] for name in ("alg", "enc", "kid", "cty") if name in header}
    step.output["decrypted"] = False
    if not ctx.settings.decryption_key:
        step.findings.append(error("decryption_key_missing", f"The {what} is encrypted: reading it needs "
                                   f"{needed_key(header)}, and no decryption key was given.", part=step.name,
                                   advice=GIVE_DECRYPTION_KEY))
        return None
    from inspector.core.jose.jwe_keys import load_decryption_keys

    try:
        keys = load_decryption_keys(ctx.settings.decryption_key)
    except KeySourceError as exc:
        step.findings.append(error("decryption_key_unusable", f"The decryption key cannot be used: {exc.message}",
                                   part=step.name, advice=GIVE_DECRYPTION_KEY))
        return None
    result = decrypt(decoded, keys)
    step.findings.extend(result.findings)
    step.output["decrypted"] = result.decrypted
    if result.token is None:
        return None
    step.output["decryption_key"] = result.key.to_json() if result.key is not None else None
    return result.token
