"""The catalogue of causes: each stable code with its sentence for a support person, its fix, and
its tier (how close to the root it sits). Data only; the code that finds causes fills the
``{placeholders}`` with what it saw, and any it has nothing for read as empty.

Tiers order a report: 0 for what makes every later check meaningless (no connection, a damaged
token, a token from another environment, the wrong kind of token), 1 for misconfigurations that
cause the refusals of tier 2 (an expired code, a refused audience...). A time failure that
disappears on the issuer's clock is reported as ``clock_skew`` (tier 1) instead of tier 2's
``token_expired``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Iterable

from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence

__all__ = ["CAUSES", "Cause", "make", "quote"]

#: Values quoted in a sentence are cut to this many characters.
_SHOWN = 120


@dataclass(frozen=True, slots=True)
class Cause:
    tier: int
    summary: str
    fix: str


_CLOCK_FIX = ("Set the clock to update automatically (Windows: 'Set time automatically'; macOS: 'Set date and time "
              "automatically'; Linux: timedatectl set-ntp true), then sign in again.")

CAUSES: dict[str, Cause] = {
    # tier 0: nothing after this can be trusted or even reached
    "tls_untrusted": Cause(0, "The connection to {host} uses a certificate{issued_by} that this computer does not "
                           "trust{proxy}.",
                           "Trust {trust_what}: give it with --ca-bundle FILE (PEM) or the profile's CA bundle "
                           "setting, or add it to the system's trusted certificates; never turn verification off."),
    "network_error": Cause(0, "{host} could not be reached{detail}.",
                           "Check the URL, that the server is up, and any proxy settings (HTTPS_PROXY)."),
    "malformed_token": Cause(0, "The token is damaged: {detail}.",
                             "Copy the whole token again: tokens are often cut at a line break, by a length limit or "
                             "by a '…' in a log."),
    "wrong_environment": Cause(0, "The token comes from another issuer ({iss}) than the one it was checked "
                               "against ({expected}){detail}.",
                               "Use a token from {expected}, the environment the application is configured for, or "
                               "point the application at {iss} if that is the one meant."),
    "wrong_token_type": Cause(0, "{given} was used where {expected} is expected{detail}.",
                              "{fix_detail}"),
    "unsigned_token": Cause(0, "The token is not signed ({detail}), so anyone could have written it.",
                            "Never accept it; find out which component produced or altered it (alg 'none' and "
                            "stripped signatures are classic attacks)."),
    "key_confusion": Cause(0, "The token claims {alg}, a shared-secret algorithm, while the issuer's key is "
                           "{key_kind}: the key-confusion attack, or a signer set up wrongly.",
                           "Reject it: the verifier must pin the algorithms it expects; if the provider really "
                           "signs with {alg}, verify with the client secret instead of the public key."),
    # tier 1: misconfigurations and clocks
    "clock_skew": Cause(1, "{whose} is {amount} {direction} {host}, so {consequence}.", _CLOCK_FIX),
    "issuer_mismatch": Cause(1, "The token's issuer {iss} differs from the expected {expected} only by {difference}.",
                             "Configure the issuer exactly as the provider writes it (its discovery document's "
                             "'issuer'){fix_detail}."),
    "signing_key_rotated": Cause(1, "The token is signed with key {kid}, which is not among {keys_where}: the issuer "
                                 "has rotated its signing keys{refetch}.",
                                 "Fetch the issuer's JWKS again when a token names an unknown kid (cache it for hours, "
                                 "not for ever), and restart whatever still holds the old copy{fix_detail}."),
    "signature_invalid": Cause(1, "The token's signature does not match {key}: it was changed after signing or "
                               "signed with another key.",
                               "Check that the token was copied whole and unchanged, and that the verifier uses the "
                               "issuer's current keys (or the right shared secret)."),
    "redirect_uri_mismatch": Cause(1, "The redirect URI {redirect_uri} {detail}.",
                                   "Register {redirect_uri} for the client at the provider exactly as sent (scheme, "
                                   "host, port, path, trailing slash), or make the application send the registered "
                                   "one{fix_detail}."),
    "pkce_mismatch": Cause(1, "The PKCE code_verifier {detail}.",
                           "Send the code_verifier made for this very authorization request, with the same method "
                           "(S256); keep it per request, since a second tab or a reload replaces it."),
    "state_mismatch": Cause(1, "The authorization response {detail}, so the application refused it as a possible "
                            "forgery.",
                            "Start the sign-in again in a single tab; make sure the application keeps the state "
                            "between the redirect and the callback (session cookie, SameSite, one server instance)."),
    "invalid_client": Cause(1, "The provider refused the client's authentication{detail}.",
                            "Check the client ID and secret{fix_detail}, and use an authentication method the "
                            "provider accepts for this client{supported}."),
    "unauthorized_client": Cause(1, "The client is not allowed to do this{detail}.",
                                 "Enable the grant or response type for the client at the provider, or use one it "
                                 "is allowed."),
    "invalid_scope": Cause(1, "The provider refused the requested scope{detail}.",
                           "Request only scopes that exist and are granted to this client (check the spelling and "
                           "the API's identifier)."),
    "par_required": Cause(1, "The provider requires pushed authorization requests (PAR, RFC 9126) for this "
                          "client{detail}, and the authorization request came to it in the browser's URL instead.",
                          "Push the authorization request first (POST its parameters, with the client's "
                          "authentication, to the provider's pushed_authorization_request_endpoint) and send the "
                          "browser with only client_id and the request_uri it returns; or, if PAR is not meant to be "
                          "required, turn the requirement off for the client at the provider."),
    "dpop_proof_missing": Cause(1, "The provider requires a DPoP proof (RFC 9449) for this client or token{detail}, "
                                "and the request carried none.",
                                "Send the request with a DPoP proof of the client's key: turn on DPoP (--dpop, or "
                                "the profile's 'Use DPoP'), and call APIs with 'Authorization: DPoP' and a fresh "
                                "proof; or, if DPoP is not meant to be required, turn it off for the client at the provider."),
    "dpop_bound_as_bearer": Cause(1, "The access token is bound to a DPoP key (RFC 9449 §6){detail}, but it was sent "
                                  "as a Bearer token, or with a proof of another key.",
                                  "Send it with 'Authorization: DPoP' and a proof signed by the key it was issued "
                                  "for (--dpop with the profile's kept DPoP key, or the history's for a saved token)."),
    "missing_openid_scope": Cause(1, "The authorization request asked for the scope {scope} without 'openid', so "
                                  "the provider issues no ID token.",
                                  "Add 'openid' to the requested scope."),
    # tier 2: the refusals the person sees
    "dpop_proof_invalid": Cause(2, "The DPoP proof was refused{detail}.",
                                "Send a fresh proof for this exact request: its method (htm) and URL without query "
                                "(htu), the current time (iat), a new jti, the server's latest DPoP-Nonce, and for an "
                                "API call the access token's hash (ath), signed by the key the token is bound to."),
    "dpop_nonce_required": Cause(2, "The server wants its own nonce in the DPoP proof (use_dpop_nonce, RFC 9449 "
                                 "§8){detail}.",
                                 "Send the request again with a new proof whose nonce claim is the DPoP-Nonce header "
                                 "of that answer (this app does so once, by itself)."),
    "invalid_grant_code": Cause(2, "The provider refused the authorization code{detail}.",
                                "Authorization codes are single-use and short-lived: start the sign-in again and "
                                "exchange the new code once, right away (watch for double submits and retries)."),
    "refresh_token_invalid": Cause(2, "The refresh token was refused{detail}.",
                                   "Keep the new refresh token from every refresh and use each one once; if it "
                                   "expired or was revoked (sign-out, password change, an administrator), sign in "
                                   "again."),
    "device_code_expired": Cause(2, "The device code expired before the sign-in was approved{detail}.",
                                 "Start again and enter the code on the other device before it expires."),
    "request_uri_invalid": Cause(2, "The provider refused the request_uri of the pushed authorization "
                                 "request{detail}.",
                                 "A request_uri lives only for its expires_in seconds (often 60) and serves one "
                                 "sign-in: push the request again right before sending the browser, and send the "
                                 "browser there once (watch for reloads, retries and the back button)."),
    "login_required": Cause(2, "The provider needs the person to sign in, and the request did not let it ask"
                            "{detail}.",
                            "When a silent request (prompt=none) answers login_required, send the person through "
                            "an interactive sign-in."),
    "consent_required": Cause(2, "The person (or an administrator) must first consent to what the application "
                              "asks for{detail}.",
                              "Send the person through an interactive sign-in to consent, or have an administrator "
                              "grant consent for the organisation."),
    "interaction_required": Cause(2, "The provider needs the person to act before it issues tokens{detail}.",
                                  "Send the person through an interactive sign-in (without prompt=none) so they can "
                                  "complete it."),
    "access_denied": Cause(2, "The sign-in was refused{detail}.",
                           "If the person did not cancel, check at the provider that they may use this application "
                           "(assignment, groups, policies)."),
    "nonce_mismatch": Cause(2, "The ID token's nonce {detail}, so it belongs to another sign-in.",
                            "Keep the nonce per authorization request and start the sign-in again (a second tab, a "
                            "replay or an overwritten session value causes this)."),
    "token_expired": Cause(2, "The {token} had expired {span} before it was checked (exp {exp}, checked {checked}).",
                           "Get a new token (sign in again or use the refresh token){fix_detail}."),
    "token_not_yet_valid": Cause(2, "The {token} is not valid until {when}, {span} after it was checked.",
                                 "Wait until then, or ask the issuer why it sets nbf in the future."),
    "wrong_audience": Cause(2, "The token is for {aud}, not for {expected}{detail}.",
                            "Request a token for {expected} (the audience, resource or scope of the token request), "
                            "or accept {aud} where it is checked if it really is meant for it."),
    "invalid_token": Cause(2, "The API refused the access token{detail}.",
                           "Get a new token and check that it is meant for this API and not expired or revoked."),
    "insufficient_scope": Cause(2, "The access token lacks a scope the API needs{detail}.",
                                "Request the scope the API names when getting the token, and make sure the client "
                                "may have it."),
    "provider_error": Cause(2, "The provider failed on its side{detail}.",
                            "Try again later; if it keeps failing, give the provider the time of the request and any "
                            "trace or correlation ID in its answer."),
    "token_invalid": Cause(2, "The token failed a check: {detail}",
                           "See the evidence for the claim at fault; the issuer or the client settings decide it."),
    "other_failure": Cause(2, "{where} failed: {detail}",
                           "The evidence holds the provider's own words; no cause in the catalogue matches them."),
}


#: Each cause's placeholders, read once: those with nothing to fill them read as empty.
_FIELDS = {code: tuple(dict.fromkeys(name for template in (cause.summary, cause.fix)
                                     for _text, name, _spec, _conv in string.Formatter().parse(template) if name))
           for code, cause in CAUSES.items()}


def quote(value: Any) -> str:
    """A value seen in an artifact, as a sentence shows it: in quotes, cut when long."""
    text = value if isinstance(value, str) else str(value)
    return f"'{text}'" if len(text) <= _SHOWN else f"'{text[:_SHOWN]}…'"


def make(code: str, confidence: Confidence, evidence: Iterable[Evidence] = (), **facts: Any) -> Diagnosis:
    """The diagnosis ``code`` with its sentences filled from ``facts`` (clauses of our own, and
    values passed through :func:`quote`)."""
    cause = CAUSES[code]
    values = dict.fromkeys(_FIELDS[code], "")
    for name, value in facts.items():
        if value is not None:
            values[name] = value if isinstance(value, str) else str(value)
    summary = cause.summary.format_map(values)
    fix = cause.fix.format_map(values)
    return Diagnosis(code, confidence, summary[0].upper() + summary[1:], fix, tuple(evidence))
