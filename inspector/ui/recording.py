"""Recording decoded tokens in the history, per the user's preference (issue 4 §2, §4).

A token is recorded once it is whole (see :func:`is_recordable`): on paste, when typing has
settled, and on Verify — never for each keystroke of a half-typed token. Each token is recorded
once per session (its SHA-256 is remembered, never the token), and tokens that came from the
history or from a flow (already recorded there) are marked as known. The write runs in a worker
(the history key is in the keyring, which may use D-Bus). When no keyring is usable, recording
stops for the session after one status message; the status bar says why.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from inspector.core.jose.parse import DecodedToken
from inspector.ui.context import AppContext

#: Where the recording came from: a paste, typing that settled, or the Verify button.
PASTE, TYPING, VERIFY = "paste", "typing", "verify"
#: Shorter opaque pastes are more likely a word or a fragment than an access token.
MIN_OPAQUE_LENGTH = 16
#: Signature sizes in bytes (RFC 7518 §3.2–3.4, RFC 8037 §3.1); RSA: at least a 512-bit modulus.
SIGNATURE_BYTES = {"HS256": (32,), "HS384": (48,), "HS512": (64,), "ES256": (64,), "ES384": (96,),
                   "ES512": (132,), "EdDSA": (64, 114)}
MIN_RSA_SIGNATURE = 64


def _signature_plausible(decoded: DecodedToken) -> bool:
    """False when the signature is shorter than the algorithm makes it: still being typed."""
    alg, size = decoded.alg or "", len(decoded.signature or b"")
    if alg in SIGNATURE_BYTES:
        return size in SIGNATURE_BYTES[alg]
    if alg[:2] in ("RS", "PS"):
        return size >= MIN_RSA_SIGNATURE
    return True


def is_recordable(decoded: DecodedToken | None, trigger: str) -> bool:
    """Whole enough to keep: a JWS or JWE that parsed with no malformed segment (typed ones also
    with a signature of the algorithm's size), or an opaque token pasted in one go that is not
    the first part of a JWT."""
    if decoded is None:
        return False
    if decoded.format == "opaque":  # "eyJ" is base64url for '{"': the start of a JWT cut short
        return trigger == PASTE and len(decoded.raw) >= MIN_OPAQUE_LENGTH and not decoded.raw.startswith("eyJ")
    if decoded.header is None or any(f.code == "malformed" for f in decoded.findings):
        return False
    if decoded.format == "jws":
        return decoded.payload is not None and (trigger != TYPING or _signature_plausible(decoded))
    return len(decoded.segments) == 5


def fingerprint(token: str) -> str:
    import hashlib  # loads OpenSSL's libcrypto (~4 MB): only once a token is there to record

    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class HistoryRecorder(QObject):
    """Emits ``recorded(entry)``, ``status_message(text)`` and, once, ``keyring_unavailable(reason)``."""

    recorded = Signal(object)
    done = Signal()  # after every write, recorded or not
    status_message = Signal(str)
    keyring_unavailable = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        #: The user's preference "Record decoded tokens in history"; the window sets it.
        self.enabled = True
        self.unavailable = False
        self._seen: set[str] = set()

    def mark_known(self, token: str) -> None:
        """``token`` is in the history already (opened from it, or obtained by a flow)."""
        self._seen.add(fingerprint(token))

    def is_known(self, token: str) -> bool:
        return fingerprint(token) in self._seen

    def offer(self, decoded: DecodedToken | None, trigger: str) -> bool:
        """Record ``decoded`` if the preference allows and it is whole and new; True if started."""
        if decoded is None or not self.enabled or self.unavailable or not is_recordable(decoded, trigger):
            return False
        digest = fingerprint(decoded.raw)
        if digest in self._seen:
            return False
        self._seen.add(digest)
        token, profile = decoded.raw, self.context.active_profile or ""

        def job(_job: Any) -> Any:
            with self.context.storage_lock:
                return self.context.storage.history.add(token, source="pasted", profile=profile)

        self.context.pool.start(job, on_finished=self.on_worker_finished,
                                on_errored=lambda exc: self.on_worker_errored(digest, exc), name="history-record")
        return True

    def on_worker_finished(self, entry: Any) -> None:
        self.recorded.emit(entry)
        self.status_message.emit("Token recorded in the history (encrypted). Settings ▸ Record decoded tokens "
                                 "turns this off.")
        self.done.emit()

    def on_worker_errored(self, digest: str, exc: BaseException) -> None:
        from inspector.core.errors import KeyringUnavailableError
        from inspector.core.errors import describe

        self._seen.discard(digest)
        if not isinstance(exc, KeyringUnavailableError):
            self.status_message.emit(f"Not recorded in the history: {describe(exc)}")
        elif not self.unavailable:
            self.unavailable = True
            self.keyring_unavailable.emit(str(exc))
            self.status_message.emit("Decoded tokens are not recorded: no keyring is usable (see the status bar).")
        self.done.emit()

    def keyring_works(self) -> None:
        """A manual save succeeded: the keyring is usable again, so recording resumes."""
        self.unavailable = False
