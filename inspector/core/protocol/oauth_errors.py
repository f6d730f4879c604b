"""What each OAuth error code means and what to do about it: one table, read by every place that
reports a provider's error (token and other endpoints, RFC 6749 §5.2; the authorization response,
§4.1.2.1; device polling, RFC 8628 §3.5; protected resources, RFC 6750 §3.1; OIDC Core §3.1.2.6;
pushed authorization requests, RFC 9126 §2.3).

The provider's own ``error_description`` is shown as it is; the cause and next step here are
ours, in plain words. A code missing from the table is reported as it came, without a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.core.advice import Advice

__all__ = ["OAUTH_ERRORS", "ErrorMeaning", "meaning"]


@dataclass(frozen=True)
class ErrorMeaning:
    """``cause`` completes "This means …"; ``client_auth`` marks errors about how the client
    authenticated, where the flow adds the method it used and the ones the provider supports."""

    cause: str
    advice: Advice
    client_auth: bool = False


_RUN_AGAIN = Advice("Run the flow again to get a fresh one: codes are single-use and short-lived, and a refresh "
                    "token may have been revoked or replaced by a newer one.")
_NO_PROMPT_NONE = Advice("Remove prompt=none from {extra_params}, so the person can sign in or consent.",
                         ("extra_params",))

OAUTH_ERRORS: dict[str, ErrorMeaning] = {
    "invalid_client": ErrorMeaning(
        "the provider did not accept the client's authentication: an unknown client id, a wrong secret or key, "
        "or a method the client is not registered for",
        Advice("Check {client_secret} and {client_id}, and that {auth_method} is one the provider allows for this "
               "client.", ("client_secret", "client_id", "auth_method")),
        client_auth=True),
    "unauthorized_client": ErrorMeaning(
        "this client is not allowed to use this grant type or response type",
        Advice("Enable the grant for the client in the provider's client registration, or use another flow.")),
    "invalid_grant": ErrorMeaning(
        "the code, refresh token, device code, subject token or assertion is invalid, expired, already used, or "
        "was issued to another client or redirect URI",
        _RUN_AGAIN),
    "invalid_scope": ErrorMeaning(
        "a requested scope is unknown to the provider or not allowed for this client",
        Advice("Remove the scope the provider refused from {scope}, or have it allowed for the client.",
               ("scope",))),
    "invalid_request": ErrorMeaning(
        "the request lacks a required parameter, repeats one, or has one the provider cannot accept",
        Advice("The provider's description usually names the parameter; compare the request's parameters with "
               "what the provider documents.")),
    "unsupported_grant_type": ErrorMeaning(
        "the provider does not support this grant at its token endpoint",
        Advice("Check the grant_types_supported in the provider's metadata, and use a flow it lists.")),
    "unsupported_response_type": ErrorMeaning(
        "the provider does not support this response type",
        Advice("Check response_types_supported in the provider's metadata; the authorization code flow needs "
               "'code'.")),
    "access_denied": ErrorMeaning(
        "the person, or a policy of the provider, refused the request",
        Advice("Sign in again and approve the request, or ask an administrator whether this account may use "
               "this client.")),
    "server_error": ErrorMeaning(
        "the provider failed on its side",
        Advice("Try again later, or ask the provider's administrators; the response is in the step's record.")),
    "temporarily_unavailable": ErrorMeaning(
        "the provider is overloaded or under maintenance",
        Advice("Try again in a few minutes.")),
    "expired_token": ErrorMeaning(
        "the device code expired before anyone approved it",
        Advice("Start the flow again and enter the code sooner.")),
    "invalid_token": ErrorMeaning(
        "the token is expired, revoked, malformed or was issued for something else",
        Advice("Get a fresh token (run the flow again, or refresh) and use it at once.")),
    "insufficient_scope": ErrorMeaning(
        "the token lacks a scope this endpoint needs",
        Advice("Request the missing scope in {scope} and run the flow again.", ("scope",))),
    "invalid_target": ErrorMeaning(
        "the provider does not know a requested resource or audience, or will not issue a token for it "
        "(RFC 8707 §2, RFC 8693 §2.2.2)",
        Advice("Check {resource} (and the audience) against the resource indicators the provider knows; each "
               "must be exactly as registered, an absolute URI without a fragment.", ("resource",))),
    "invalid_request_uri": ErrorMeaning(
        "the request_uri is unknown to the provider, expired, or was already used: a pushed authorization request "
        "lives for its expires_in seconds and serves one sign-in",
        Advice("Push the authorization request again and send the browser to the new request_uri at once, "
               "only once.")),
    "login_required": ErrorMeaning("prompt=none was sent, but the person must sign in", _NO_PROMPT_NONE),
    "consent_required": ErrorMeaning("prompt=none was sent, but the person must consent", _NO_PROMPT_NONE),
    "interaction_required": ErrorMeaning("prompt=none was sent, but the person must act in the browser",
                                         _NO_PROMPT_NONE),
    "account_selection_required": ErrorMeaning("prompt=none was sent, but the person must choose an account",
                                               _NO_PROMPT_NONE),
}


def meaning(code: str) -> ErrorMeaning | None:
    return OAUTH_ERRORS.get(code)
