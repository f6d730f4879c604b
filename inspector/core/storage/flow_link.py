"""Where profiles and history meet the flows: a saved profile as flow settings, and the hooks
that record the tokens a flow obtains and the flow's record when it ends: called in line on the
flow's thread (the GUI's flows run in a worker), or handed to a :class:`HistoryRecorder` thread
(the CLI's, so the flow never waits for the keyring).

Secrets are fetched from the keyring only when the profile has them and the caller did not
supply its own (an explicit ``--client-secret-env`` wins and needs no keyring).
"""

from __future__ import annotations

import queue
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Mapping

from inspector.core import threads
from inspector.core.errors import StorageError

if TYPE_CHECKING:
    from inspector.core.flows.model import Flow
    from inspector.core.flows.settings import FlowSettings
    from inspector.core.storage.context import Storage
    from inspector.core.storage.history import HistoryEntry, HistoryStore
    from inspector.core.storage.profile_model import Profile
    from inspector.core.storage.profiles import ProfileStore


def settings_from_profile(profiles: ProfileStore, name: str, *, with_client_secret: bool = True,
                          with_private_key: bool = True, with_decryption_key: bool = True,
                          with_client_key: bool = True,
                          token: str | None = None) -> FlowSettings:  # fmt: skip
    """The saved profile ``name`` as ``FlowSettings``, its secrets read from the keyring unless the
    caller supplies its own (the CLI's options then override the values)."""
    profile = profiles.get(name)
    wanted = [kind for kind, wanted in (("client_secret", with_client_secret), ("private_key", with_private_key),
                                        ("decryption_key", with_decryption_key), ("client_key", with_client_key),
                                        ("dpop_key", True))
              if wanted and kind in profile.secrets]  # fmt: skip
    secrets = {kind: value for kind in wanted if (value := profiles.secret(profile.name, kind))}
    return profile_settings(profile, secrets, token=token)


def profile_settings(profile: Profile, secrets: Mapping[str, str], *, token: str | None = None) -> FlowSettings:
    """``profile`` with its ``secrets`` (kind -> value, read from the keyring by the caller) as
    ``FlowSettings``: the one mapping the CLI and the GUI share. ``token`` is the one a token
    grant acts on (refresh, userinfo, introspect, revoke)."""
    from inspector.core.flows.settings import FlowSettings

    return FlowSettings(
        issuer=profile.issuer,
        endpoints=dict(profile.endpoints),
        client_id=profile.client_id or None,
        client_secret=secrets.get("client_secret") or None,
        auth_method=profile.auth_method,
        private_key_pem=private_key.encode("utf-8") if (private_key := secrets.get("private_key")) else None,
        decryption_key=secrets.get("decryption_key") or None,
        scope=" ".join(profile.scopes) or None,
        resource=list(profile.resources),
        redirect_host=profile.redirect_host,
        redirect_port=profile.redirect_port,
        redirect_path=profile.redirect_path,
        ca_bundle=profile.ca_bundle or None,
        extra_params=dict(profile.extra_params),
        use_par=profile.use_par,
        token=token or None,
        client_cert_pem=profile.client_cert.encode("ascii") if profile.client_cert else None,
        client_key_pem=client_key.encode("utf-8") if (client_key := secrets.get("client_key")) else None,
        dpop=profile.dpop,
        dpop_key=secrets.get("dpop_key") or None,
    )


def token_recorder(history: HistoryStore, *, profile: str = "",
                   on_error: Callable[[Exception], None] | None = None) -> Callable[[Any, Any, Mapping[str, Any]], list[HistoryEntry]]:  # fmt: skip
    """A ``token_obtained(flow, step, token_response)`` hook that saves the tokens to ``history``
    and returns their entries, an opaque access token with the expiry its ``expires_in`` gives
    (counted from ``received_at``, by default now: the hook runs as the response arrives). The
    GUI saves a flow's tokens through it on the thread that runs the flow, as soon as the token
    endpoint answers; the CLI's :class:`HistoryRecorder` through it on its own thread. Tokens the
    response says are DPoP-bound are kept with the flow's DPoP key (``Flow.dpop_key``), which
    :meth:`HistoryStore.dpop_key` gives back.

    A refused save (no usable keyring, a damaged history) goes to ``on_error`` instead of
    stopping the flow (nothing is returned then); without ``on_error`` it is raised.
    """

    def record(flow: Any, _step: Any, token_response: Mapping[str, Any], *,
               received_at: float | None = None) -> list[HistoryEntry]:  # fmt: skip
        try:
            return history.add_token_response(token_response, flow=flow.grant, profile=profile, received_at=received_at,
                                              dpop_key=getattr(flow, "dpop_key", None))
        except StorageError as exc:
            if on_error is None:
                raise
            on_error(exc)
            return []

    return record


def flow_saver(history: HistoryStore, *, profile: str = "", issuer: str = "",
               on_error: Callable[[Exception], None] | None = None) -> Callable[[Flow], HistoryEntry | None]:  # fmt: skip
    """A ``flow_finished(flow)`` hook that saves the flow's record (redacted and bounded, see
    :mod:`inspector.core.flows.record`) to ``history`` and returns its entry. The CLI and the GUI
    both save a flow through it, on the thread that runs the flow, when it ends: finished, failed
    or cancelled. ``issuer`` is the one the flow was run against (else the one discovered).

    A refused save goes to ``on_error`` (then None is returned); without ``on_error`` it is raised.
    """
    from inspector.core.flows.record import FlowRecord

    def save(flow: Flow) -> HistoryEntry | None:
        try:
            return history.add_flow(FlowRecord.of(flow, profile=profile, issuer=issuer))
        except StorageError as exc:
            if on_error is None:
                raise
            on_error(exc)
            return None

    return save


class HistoryRecorder:
    """The CLI's history hooks: the tokens a flow obtains (``token_obtained``) and, when it ends,
    its record (:meth:`finish`), saved to the history of ``storage`` on a thread of its own, so
    the flow never waits for the keyring.

    Opening the keyring is slow — keyring's detection imports every backend it knows, about
    100 ms — so :meth:`prepare` starts the thread that opens it (and loads the history code) while
    the flow waits for something else: the person signing in, a provider answering. Token
    responses are handed to the thread and saved while the flow goes on. :meth:`finish` hands over
    the flow's record and waits for every save; call it before the flow's result is reported. A
    refused save (no usable keyring, a damaged history) then goes to ``on_error`` (once per
    distinct reason) instead of stopping the flow; without ``on_error`` it is raised.
    """

    def __init__(self, storage: Storage, *, profile: str = "", issuer: str = "",
                 on_error: Callable[[Exception], None] | None = None,
                 on_flow_saved: Callable[[HistoryEntry], None] | None = None) -> None:  # fmt: skip
        self._storage = storage
        self._profile = profile
        self._issuer = issuer
        self._on_error = on_error
        self._on_flow_saved = on_flow_saved
        self._work: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._failures: list[Exception] = []
        self._flow_entry: list[HistoryEntry] = []
        # A daemon: should the flow end without finish() (a bug), the process still exits.
        self._thread = threading.Thread(target=self._run, name="history-recorder", daemon=True)

    def prepare(self) -> None:
        """Start opening the keyring now (once; a token handed over starts it too). Its imports
        compete with the flow's own for the interpreter, so call it once the flow is under way."""
        if self._thread.ident is None:
            threads.start(self._thread)

    def __call__(self, flow: Any, _step: Any, token_response: Mapping[str, Any]) -> None:
        # expires_in counts from now, not from when the thread gets to it (the keyring may ask to be unlocked)
        response, received = dict(token_response), time.time()
        self._hand_over(lambda: token_recorder(self._storage.history, profile=self._profile)(flow, None, response,
                                                                                              received_at=received))

    def finish(self, flow: Flow | None = None) -> None:
        """Save ``flow``'s record (redacted and bounded, see :mod:`inspector.core.flows.record`),
        wait until every save is done, then report refused ones."""
        if flow is not None:
            from inspector.core.flows.record import FlowRecord

            record = FlowRecord.of(flow, profile=self._profile, issuer=self._issuer)
            self._hand_over(lambda: self._flow_entry.append(self._storage.history.add_flow(record)))
        if self._thread.is_alive():
            self._work.put(None)
            self._thread.join()
        failures, self._failures = self._failures, []
        reported: set[str] = set()
        for exc in failures:
            if self._on_error is None or not isinstance(exc, StorageError):
                raise exc
            if str(exc) not in reported:
                reported.add(str(exc))
                self._on_error(exc)
        if self._flow_entry and self._on_flow_saved is not None:
            self._on_flow_saved(self._flow_entry.pop())

    def _hand_over(self, save: Callable[[], object]) -> None:
        self.prepare()
        self._work.put(save)

    def _run(self) -> None:
        try:
            self._storage.vault.backend
            self._storage.history
        except Exception:  # noqa: BLE001 - e.g. no usable keyring: the first save meets it again and reports it
            pass
        while (save := self._work.get()) is not None:
            try:
                save()
            except Exception as exc:  # noqa: BLE001 - handed to finish(), on the flow's own thread
                self._failures.append(exc)
