"""Client authentication at the token, introspection, revocation and device endpoints.

- ``client_secret_basic`` (RFC 6749 §2.3.1): id and secret are form-urlencoded *before* being
  joined and base64-encoded, so secrets with ':' or non-ASCII characters survive.
- ``client_secret_post`` (RFC 6749 §2.3.1): both in the form body.
- ``none``: a public client sends only ``client_id`` (RFC 6749 §2.1; RFC 8252 §8.4).
- ``private_key_jwt`` (RFC 7523 §2.2, OIDC Core §9): a short-lived assertion signed with PyJWT.
  Its audience is the issuer identifier, as draft-ietf-oauth-rfc7523bis requires after the 2025
  audience-injection findings; the token endpoint URL is used only when the issuer is unknown.
- ``tls_client_auth`` and ``self_signed_tls_client_auth`` (RFC 8705 §2): the client proves itself
  with the certificate of the TLS connection (a CA-issued one whose subject is registered, or a
  self-signed one registered in its JWKS); the body carries only ``client_id`` (§2.1, §2.2).
- ``client_secret_jwt`` (RFC 7523 §2.2, OIDC Core §9): the same assertion with an HMAC over the
  client secret (HS256 unless the provider lists only HS384/HS512), signed by PyJWT. RFC 7518 §3.2
  wants a secret at least as long as the hash; a shorter one is a warning finding, not a refusal
  (the provider chose it, and the person is testing what it does).
"""

from __future__ import annotations

import base64
import secrets
import time
import warnings
from typing import Callable, Sequence
from urllib.parse import quote_plus

from inspector.core.errors import KeySourceError
from inspector.core.findings import Finding, warning

__all__ = ["AUTH_METHODS", "AUTO", "MTLS_AUTH_METHODS", "apply_client_auth", "choose_auth_method", "load_signing_key"]

#: The client authentication methods we perform (RFC 7591 §2 token_endpoint_auth_method values).
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
                "tls_client_auth", "self_signed_tls_client_auth", "none")
#: The methods whose credential is the TLS client certificate (RFC 8705 §2).
MTLS_AUTH_METHODS = ("tls_client_auth", "self_signed_tls_client_auth")
HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")
#: "Choose for me" (a profile's default): see :func:`choose_auth_method`.
AUTO = "auto"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 60


def choose_auth_method(
    requested: str | None, *, has_secret: bool, has_key: bool, supported: Sequence[str] | None = None,
    has_certificate: bool = False,
) -> str:
    """An explicit choice wins; ``None`` or ``"auto"`` means: a key -> private_key_jwt, a secret ->
    client_secret_basic (the one every server must support, RFC 6749 §2.3.1) unless the provider
    lists methods without basic: then client_secret_post, or client_secret_jwt, if it lists that;
    only a client certificate -> tls_client_auth (self_signed_tls_client_auth if the provider lists
    only that); nothing -> a public client (``none``)."""
    if requested and requested != AUTO:
        return requested
    if has_key:
        return "private_key_jwt"
    if has_secret:
        if supported and "client_secret_basic" not in supported:
            for method in ("client_secret_post", "client_secret_jwt"):
                if method in supported:
                    return method
        return "client_secret_basic"
    if has_certificate:
        only_self_signed = supported and "tls_client_auth" not in supported and "self_signed_tls_client_auth" in supported
        return "self_signed_tls_client_auth" if only_self_signed else "tls_client_auth"
    return "none"


def basic_authorization(client_id: str, secret: str) -> str:
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def load_signing_key(pem: bytes) -> tuple[object, str]:
    """A private key and the JWS algorithm it signs with (ES256/384/512, RS256 or EdDSA)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from inspector.core.jose.algorithms import default_alg
    from inspector.core.jose.keys import CURVES

    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeySourceError(
            "The client assertion key is not an unencrypted PEM private key.",
            hint="Pass a PKCS#8 or traditional PEM private key (RSA, EC P-256/384/521 or Ed25519).",
        ) from exc
    if isinstance(key, rsa.RSAPrivateKey):
        alg = default_alg("RSA")
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        alg = default_alg("EC", CURVES.get(key.curve.name))  # None on a curve JOSE does not name
    else:
        alg = default_alg("OKP", "Ed25519") if isinstance(key, ed25519.Ed25519PrivateKey) else None
    if alg is not None:
        return key, alg
    raise KeySourceError("The client assertion key type is not supported.",
                         hint="Use an RSA, EC P-256/384/521 or Ed25519 private key.")


def hmac_algorithm(supported: Sequence[str] | None) -> str:
    """HS256, unless the provider's token_endpoint_auth_signing_alg_values_supported lists only
    stronger HMAC algorithms."""
    listed = [alg for alg in HMAC_ALGORITHMS if supported and alg in supported]
    return "HS256" if not listed or "HS256" in listed else listed[0]


def apply_client_auth(
    method: str,
    form: dict[str, str],
    headers: dict[str, str],
    *,
    client_id: str,
    secret: str | None = None,
    key_pem: bytes | None = None,
    key_id: str | None = None,
    audience: str,
    signing_algs: Sequence[str] | None = None,
    now: Callable[[], float] = time.time,
    random: Callable[[int], str] = secrets.token_urlsafe,
) -> list[Finding]:
    """Add the client's credentials to ``form``/``headers`` for ``method`` (in place); returns
    findings about them (a client secret too short for its HMAC). ``signing_algs`` is the
    provider's token_endpoint_auth_signing_alg_values_supported, if known."""
    if method == "client_secret_basic":
        headers["Authorization"] = basic_authorization(client_id, secret or "")
    elif method == "client_secret_post":
        form["client_id"] = client_id
        form["client_secret"] = secret or ""
    elif method in ("private_key_jwt", "client_secret_jwt"):
        issued = int(now())
        claims = {"iss": client_id, "sub": client_id, "aud": audience, "jti": random(32),
                  "iat": issued, "exp": issued + ASSERTION_LIFETIME}
        form["client_id"] = client_id
        form["client_assertion_type"] = ASSERTION_TYPE
        if method == "client_secret_jwt":
            form["client_assertion"], findings = _hmac_assertion(claims, secret or "", hmac_algorithm(signing_algs))
            return findings
        import jwt

        key, alg = load_signing_key(key_pem or b"")
        header = {"kid": key_id} if key_id else None
        form["client_assertion"] = jwt.encode(claims, key, algorithm=alg, headers=header)
    else:  # none, and the mTLS methods: the certificate is on the connection (RFC 8705 §2)
        form["client_id"] = client_id
    return []


def _hmac_assertion(claims: dict[str, object], secret: str, alg: str) -> tuple[str, list[Finding]]:
    import jwt
    from jwt.warnings import InsecureKeyLengthWarning

    key = secret.encode("utf-8")
    needed = int(alg[2:]) // 8
    if len(key) >= needed:
        return jwt.encode(claims, key, algorithm=alg), []
    with warnings.catch_warnings():  # reported below as a finding instead of on stderr
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        assertion = jwt.encode(claims, key, algorithm=alg)
    return assertion, [warning("client_secret_short", f"The client secret is {len(key)} bytes; {alg} needs at least "
                               f"{needed} (RFC 7518 §3.2), so the client assertion is weaker than it should be. "
                               "Ask the provider for a longer secret.", claim="client_secret")]
