"""Checking a DPoP proof (RFC 9449 §4.3): every finding, as the verifier reports tokens.

A proof carries its own public key in the header's ``jwk``, and by design of RFC 9449 that key
verifies it: the proof shows that whoever sent it holds the private key, not who they are. This
is the only place a token's own key is used, and only when its ``typ`` declares a proof
(:func:`inspector.core.jose.token_kind.is_dpop_proof`); :mod:`.verify` ignores header keys.

The checks of RFC 9449 §4.3 that need no request (typ; an asymmetric alg; a public-only jwk; the
signature with it; jti, htm, htu and iat of the right types; iat within a window) always run;
those that compare with a request (htm, htu, nonce, ath) run for what the caller gives.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from inspector.core import findings as fnd
from inspector.core.errors import KeySourceError, MalformedTokenError
from inspector.core.findings import Finding, has_errors
from inspector.core.jose.algorithms import KEY_FAMILY, family_text, is_psychic_ecdsa, verify_signature
from inspector.core.jose.b64 import b64url_decode
from inspector.core.jose.claims import humanize_duration, in_date_range, is_numeric_date
from inspector.core.jose.dpop import DPOP_TYP, access_token_hash
from inspector.core.jose.dpop_htu import same_htu
from inspector.core.jose.keys import load_jwk
from inspector.core.jose.parse import DecodedToken
from inspector.core.jose.thumbprint import jwk_thumbprint
from inspector.core.jose.token_kind import is_dpop_proof

__all__ = ["DEFAULT_LEEWAY", "DEFAULT_MAX_AGE", "PRIVATE_MEMBERS", "ProofCheck", "check_proof"]

#: How old a proof servers usually still accept: RFC 9449 §11.1 speaks of "a few seconds to a few
#: minutes"; older than this, a server will most likely refuse it.
DEFAULT_MAX_AGE = 300.0
#: How far in the future ``iat`` may be before it is worth a word (clocks drift).
DEFAULT_LEEWAY = 60.0
#: Private members per key type (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2): none may be in a proof.
PRIVATE_MEMBERS = {"EC": ("d",), "OKP": ("d",), "RSA": ("d", "p", "q", "dp", "dq", "qi", "oth")}
#: Characters a jti needs to hold 96 random bits in base64url, the densest usual encoding (§4.2).
MIN_JTI_LENGTH = 16
_STANDARD_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")


@dataclass
class ProofCheck:
    """The outcome: ``valid`` is false exactly when a finding is an error. ``thumbprint`` is the
    RFC 7638 thumbprint of the proof's key (what ``cnf.jkt`` of a token bound to it holds), when
    the key can be read; ``resource_request`` tells a proof with ``ath`` (it goes with a request
    that presents an access token) from one for the token endpoint."""

    findings: list[Finding] = field(default_factory=list)
    thumbprint: str | None = None
    signature_valid: bool = False
    resource_request: bool = False

    @property
    def valid(self) -> bool:
        return not has_errors(self.findings)

    def to_json(self) -> dict[str, Any]:
        """The verdict without the findings, which are shown with the token's own."""
        return {"valid": self.valid, "jkt": self.thumbprint, "signature_valid": self.signature_valid,
                "resource_request": self.resource_request}


def check_proof(
    decoded: DecodedToken,
    *,
    now: float,
    max_age: float = DEFAULT_MAX_AGE,
    leeway: float = DEFAULT_LEEWAY,
    htm: str | None = None,
    htu: str | None = None,
    nonce: str | None = None,
    access_token: str | None = None,
) -> ProofCheck:
    """Check ``decoded`` as a DPoP proof at ``now``; ``htm``/``htu``/``nonce``/``access_token``
    are the request it came with, compared when given. ``decoded.findings`` are not repeated."""
    check = ProofCheck()
    header = decoded.header or {}
    if decoded.format != "jws" or not is_dpop_proof(header):
        check.findings.append(fnd.error("dpop_typ", f"typ is {header.get('typ')!r}, not {DPOP_TYP!r}: this is not a "
                                        "DPoP proof, so its header key was not used (RFC 9449 §4.2).",
                                        claim="typ", part="header"))
        return check
    if header["typ"] != DPOP_TYP:
        check.findings.append(fnd.warning("dpop_typ", f"typ is {header['typ']!r}: RFC 9449 §4.2 writes {DPOP_TYP!r}, "
                                          "and servers that compare it exactly refuse any other spelling.",
                                          claim="typ", part="header"))
    alg = _check_alg(header.get("alg"), check.findings)
    key = _check_jwk(header.get("jwk"), alg, check)
    if alg is not None and key is not None:
        check.signature_valid = _check_signature(alg, key, decoded, check.findings)
    if decoded.claims is not None:
        claims = decoded.claims
        check.findings += _claim_types(claims)
        check.findings += _iat(claims.get("iat"), now, max_age, leeway)
        check.resource_request = "ath" in claims
        check.findings += _purpose(claims)
        check.findings += _expected(claims, htm, htu, nonce, access_token)
    if check.thumbprint is not None:
        check.findings.append(fnd.info("dpop_jkt", f"The proof's key has the RFC 7638 thumbprint {check.thumbprint}: "
                                       "an access token bound to this key carries it as cnf.jkt (RFC 9449 §6).",
                                       claim="jwk", part="header"))
    return check


def _check_alg(alg: Any, findings: list[Finding]) -> str | None:
    """The alg to verify with, or None (with an error) when the proof's alg is not one it may use."""
    if not isinstance(alg, str):
        findings.append(fnd.error("malformed", "The header has no alg (a string naming the algorithm).",
                                  claim="alg", part="header"))
        return None
    if alg.lower() == "none":
        findings.append(fnd.error("alg_none", f"alg is {alg!r}: an unsigned proof proves nothing; RFC 9449 §4.2 "
                                  "forbids it.", claim="alg", part="header"))
        return None
    family = KEY_FAMILY.get(alg)
    if family is not None and family[0] == "oct":
        findings.append(fnd.error("dpop_alg_symmetric", f"alg is {alg!r}, a MAC with a shared secret: a proof must "
                                  "be signed with a private key whose public half it carries (RFC 9449 §4.2).",
                                  claim="alg", part="header"))
        return None
    if family is None:
        findings.append(fnd.error("alg_not_allowed", f"alg {alg!r} is not an algorithm this inspector verifies "
                                  "(ES256/384/512, RS256/384/512, PS256/384/512, EdDSA).", claim="alg", part="header"))
        return None
    return alg


def _check_jwk(jwk: Any, alg: str | None, check: ProofCheck) -> Any:
    """The proof's public key, loaded (None with an error when there is none fit to verify with)."""
    findings = check.findings
    if not isinstance(jwk, dict):
        findings.append(fnd.error("dpop_jwk_missing", "The header has no jwk object: a proof must carry the public "
                                  "key it is signed with (RFC 9449 §4.2).", claim="jwk", part="header"))
        return None
    kty = jwk.get("kty")
    private = [name for name in PRIVATE_MEMBERS.get(kty, ()) if name in jwk] if isinstance(kty, str) else []
    if kty == "oct":
        private = ["k"]
    if private:
        plural = "s" if len(private) > 1 else ""
        findings.append(fnd.error("dpop_jwk_private", f"The jwk holds the private member{plural} "
                                  f"{', '.join(private)}: the private key went to every server that saw this proof, "
                                  "so it is compromised. Make a new key (RFC 9449 §4.2: jwk MUST NOT contain a "
                                  "private key).", claim="jwk", part="header"))
        if kty == "oct":
            return None
    try:
        check.thumbprint = jwk_thumbprint(jwk)
        key = load_jwk(jwk)  # the public half only, even of a private JWK
    except KeySourceError as exc:
        findings.append(fnd.error("dpop_jwk_invalid", f"The jwk cannot be used: {exc.message}", claim="jwk",
                                  part="header"))
        return None
    if alg is not None and (key.kty, key.crv) != KEY_FAMILY[alg]:
        findings.append(fnd.error("key_mismatch", f"alg {alg} needs {family_text(*KEY_FAMILY[alg])}, but the jwk is "
                                  f"{family_text(key.kty, key.crv)}.", claim="alg", part="header"))
        return None
    return key


def _check_signature(alg: str, key: Any, decoded: DecodedToken, findings: list[Finding]) -> bool:
    signature, signing_input = decoded.signature, decoded.signing_input
    if signature is None or signing_input is None:
        return False  # the missing or unreadable signature is already a malformed finding
    if not signature or is_psychic_ecdsa(alg, signature):
        why = "empty" if not signature else "r = 0 or s = 0, a forgery (CVE-2022-21449)"
        findings.append(fnd.error("bad_signature", f"The signature is {why}. Never valid.", part="signature"))
        return False
    if verify_signature(alg, key.material, signing_input, signature):
        findings.append(fnd.info("signature_valid", f"The {alg} signature is valid, checked with the jwk in the "
                                 "proof's own header, as RFC 9449 §4.3 prescribes: it proves the sender holds that "
                                 "key, not who the sender is.", part="signature"))
        return True
    findings.append(fnd.error("bad_signature", f"The {alg} signature does not match the proof's own jwk: the proof "
                              "was altered, or signed with another key.", part="signature"))
    return False


def _claim_types(claims: dict[str, Any]) -> list[Finding]:
    found = [fnd.error("missing_claim", f"{name} is missing: every DPoP proof has it (RFC 9449 §4.2).",
                       claim=name, part="payload")
             for name in ("jti", "htm", "htu", "iat") if name not in claims]
    found += [fnd.error("bad_claim_type", f"{name} must be a string, not {_kind(claims[name])}.", claim=name,
                        part="payload")
              for name in ("jti", "htm", "htu", "nonce", "ath") if name in claims and not isinstance(claims[name], str)]
    if "iat" in claims and not is_numeric_date(claims["iat"]):
        found.append(fnd.error("bad_claim_type", f"iat must be a JSON number (seconds since 1970), not "
                               f"{_kind(claims['iat'])}.", claim="iat", part="payload"))
    jti, htm, htu, ath = (claims.get(name) for name in ("jti", "htm", "htu", "ath"))
    if isinstance(jti, str) and len(jti) < MIN_JTI_LENGTH:
        found.append(fnd.warning("dpop_jti_short", f"jti has {len(jti)} characters, too few for the 96 random bits "
                                 "RFC 9449 §4.2 asks for, so servers may take two proofs for a replay.",
                                 claim="jti", part="payload"))
    if isinstance(htm, str) and htm != htm.upper() and htm.upper() in _STANDARD_METHODS:
        found.append(fnd.warning("dpop_htm_case", f"htm is {htm!r}: methods are case-sensitive (RFC 9110 §9.1), so "
                                 f"it does not match a {htm.upper()} request.", claim="htm", part="payload"))
    if isinstance(htu, str):
        found += _htu_shape(htu)
    if isinstance(ath, str) and not _is_sha256_b64(ath):
        found.append(fnd.error("dpop_ath_malformed", "ath is not the base64url of a SHA-256 hash (43 characters): no "
                               "access token can match it (RFC 9449 §4.2).", claim="ath", part="payload"))
    return found


def _htu_shape(htu: str) -> list[Finding]:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(htu)
        absolute = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        parts, absolute = None, False
    if parts is None or not absolute:
        return [fnd.error("dpop_htu_invalid", f"htu {htu!r} is not an absolute http(s) URI, so it names no request "
                          "(RFC 9449 §4.2).", claim="htu", part="payload")]
    if parts.query or parts.fragment or "?" in htu or "#" in htu:
        return [fnd.warning("dpop_htu_query", "htu has a query or fragment: RFC 9449 §4.2 leaves them out, and "
                            "servers that compare it strictly refuse it.", claim="htu", part="payload")]
    return []


def _iat(iat: Any, now: float, max_age: float, leeway: float) -> list[Finding]:
    if not in_date_range(iat):
        return []  # missing, not a number, or no date: already said
    age = now - iat
    if age < -leeway:
        return [fnd.warning("dpop_iat_future", f"The proof was made {humanize_duration(-age)} in the future (iat): "
                            "the sender's clock or this one is off; servers refuse proofs from the future.",
                            claim="iat", part="payload")]
    if age > max_age:
        return [fnd.warning("dpop_proof_stale", f"The proof was made {humanize_duration(age)} ago (iat); servers "
                            f"accept proofs for a short window only (here {humanize_duration(max_age)}, RFC 9449 "
                            "§11.1), so it would be refused now. Each request needs a fresh proof.",
                            claim="iat", part="payload")]
    when = "just now" if -1 < age < 1 else (f"{humanize_duration(age)} ago" if age > 0
                                              else f"{humanize_duration(-age)} ahead of this clock")
    return [fnd.info("dpop_proof_age", f"The proof was made {when} (iat), within the {humanize_duration(max_age)} "
                     "servers usually accept.", claim="iat", part="payload")]


def _purpose(claims: dict[str, Any]) -> list[Finding]:
    if "ath" in claims:
        return [fnd.info("dpop_resource_proof", "ath is present: this proof goes with a request that presents a "
                         "DPoP-bound access token (an API or userinfo call); ath is the hash of that token "
                         "(RFC 9449 §7.1).", claim="ath", part="payload")]
    return [fnd.info("dpop_token_proof", "There is no ath: this proof goes with a request that presents no access "
                     "token, such as the token endpoint's (RFC 9449 §5).", part="payload")]


def _expected(claims: dict[str, Any], htm: str | None, htu: str | None, nonce: str | None,
              access_token: str | None) -> list[Finding]:
    found: list[Finding] = []
    claimed = {name: claims.get(name) for name in ("htm", "htu", "nonce", "ath")}
    if htm is not None and isinstance(claimed["htm"], str) and claimed["htm"] != htm:
        found.append(fnd.error("dpop_htm_mismatch", f"htm is {claimed['htm']!r}, but the request was {htm}.",
                               claim="htm", part="payload"))
    if htu is not None and isinstance(claimed["htu"], str) and not same_htu(claimed["htu"], htu):
        found.append(fnd.error("dpop_htu_mismatch", f"htu is {claimed['htu']!r}, but the request went to {htu!r} "
                               "(compared without query and fragment, after normalisation).", claim="htu",
                               part="payload"))
    if nonce is not None:
        if claimed["nonce"] is None:
            found.append(fnd.error("dpop_nonce_missing", "The server gave a nonce, but the proof has none "
                                   "(RFC 9449 §8).", claim="nonce", part="payload"))
        elif isinstance(claimed["nonce"], str) and not hmac.compare_digest(claimed["nonce"].encode(), nonce.encode()):
            found.append(fnd.error("dpop_nonce_mismatch", "The proof's nonce is not the one the server gave last.",
                                   claim="nonce", part="payload"))
    if access_token is not None:
        if claimed["ath"] is None:
            found.append(fnd.error("dpop_ath_missing", "The request presents an access token, but the proof has no "
                                   "ath (RFC 9449 §4.2, §7.1).", claim="ath", part="payload"))
        elif isinstance(claimed["ath"], str) and claimed["ath"] != _ath_or_none(access_token):
            found.append(fnd.error("dpop_ath_mismatch", "ath is not the hash of the access token presented: the "
                                   "proof was made for another token.", claim="ath", part="payload"))
    return found


def _ath_or_none(access_token: str) -> str | None:
    try:
        return access_token_hash(access_token)
    except UnicodeEncodeError:
        return None


def _is_sha256_b64(value: str) -> bool:
    try:
        return len(b64url_decode(value)) == 32
    except MalformedTokenError:
        return False


def _kind(value: Any) -> str:
    return {str: "a string", bool: "a boolean", list: "an array", dict: "an object", type(None): "null"}.get(
        type(value), "a number")
