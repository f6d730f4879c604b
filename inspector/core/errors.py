"""The core's error tree. Every error carries a stable ``code`` and a message a person can act on.

Expected outcomes (a failed claim, an OAuth error response, an expired token) are *findings*,
not exceptions; these errors are for input we cannot work with at all::

    InspectorError                      code
     ├── MalformedTokenError            malformed       text that is not a token we can parse
     ├── KeySourceError                 key_source      a key, JWK, JWKS, PEM or secret we cannot load
     ├── ProtocolError                  protocol        discovery/HTTP failures outside a flow record
     ├── FlowCancelledError             cancelled       the user (or a timeout) stopped a flow (or a long read)
     ├── UnusableInputError             unusable_input  an artifact we cannot use at all (a HAR, a flow record, an answer to diagnose)
     └── StorageError                   storage         profiles/history files we cannot read or write
          ├── KeyringUnavailableError   keyring_unavailable
          └── ProfileNotFoundError      profile_not_found

Third-party exceptions are wrapped at the boundary with ``raise ... from exc``. Every front end
words an error with :func:`describe`, and an unexpected one's details with
:func:`internal_error_text`.
"""

from __future__ import annotations


class InspectorError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.hint = hint

    def to_json(self) -> dict[str, str]:
        data = {"code": self.code, "message": self.message}
        if self.hint:
            data["hint"] = self.hint
        return data

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class MalformedTokenError(InspectorError):
    code = "malformed"


class KeySourceError(InspectorError):
    code = "key_source"


class ProtocolError(InspectorError):
    code = "protocol"


class FlowCancelledError(InspectorError):
    code = "cancelled"


class UnusableInputError(InspectorError):
    """A file the user gave us to read that is not what it should be: not JSON, not a HAR, too big."""

    code = "unusable_input"


class StorageError(InspectorError):
    code = "storage"


class KeyringUnavailableError(StorageError):
    code = "keyring_unavailable"


class ProfileNotFoundError(StorageError):
    code = "profile_not_found"


def describe(exc: BaseException) -> str:
    """One plain sentence about ``exc`` for a person (a dialog, a status line): the core's own
    message, or only what kind of failure it was — an unexpected exception's message may quote
    anything, and its details go where they are redacted (:func:`internal_error_text`)."""
    if isinstance(exc, InspectorError):
        return str(exc)
    return (
        f"An unexpected internal error occurred ({type(exc).__name__}). "
        "The action you were doing did not complete."
    )


def internal_error_text(exc: BaseException) -> str:
    """``KeyError: 'history'``: an unexpected exception's type and message, the message made safe
    to show and paste into a report (:func:`inspector.core.redact.redact_text`). The CLI's
    last-resort handler and the flow runner's guard word a bug with it; the GUI's error dialog
    redacts its details the same way."""
    from inspector.core.redact import redact_text

    return f"{type(exc).__name__}: {redact_text(str(exc))}"
