"""Where profiles and history meet the flows: a saved profile as flow settings, and the hook
that records the tokens a flow obtains (:class:`TokenRecorder`).

Secrets are fetched from the keyring only when the profile has them and the caller did not
supply its own (an explicit ``--client-secret-env`` wins and needs no keyring).
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Any, Callable, Mapping

from inspector.core.errors import StorageError

if TYPE_CHECKING:
    from inspector.core.storage.context import Storage
    from inspector.core.storage.profile_model import Profile
    from inspector.core.storage.profiles import ProfileStore


def settings_from_profile(profiles: ProfileStore, name: str, *, with_client_secret: bool = True,
                          with_private_key: bool = True) -> dict[str, Any]:  # fmt: skip
    """``FlowSettings`` field values from the saved profile ``name`` (explicit options override them)."""
    profile = profiles.get(name)
    wanted = [kind for kind, wanted in (("client_secret", with_client_secret), ("private_key", with_private_key))
              if wanted and kind in profile.secrets]  # fmt: skip
    return profile_settings(profile, {kind: value for kind in wanted if (value := profiles.secret(profile.name, kind))})


def profile_settings(profile: Profile, secrets: Mapping[str, str]) -> dict[str, Any]:
    """``FlowSettings`` field values of ``profile`` with its ``secrets`` (kind -> value, read from
    the keyring by the caller): the one mapping the CLI and the GUI share."""
    values: dict[str, Any] = {
        "issuer": profile.issuer,
        "endpoints": dict(profile.endpoints),
        "client_id": profile.client_id or None,
        "auth_method": profile.auth_method,
        "scope": " ".join(profile.scopes) or None,
        "redirect_host": profile.redirect_host,
        "redirect_port": profile.redirect_port,
        "redirect_path": profile.redirect_path,
        "ca_bundle": profile.ca_bundle or None,
        "extra_params": dict(profile.extra_params),
    }
    if secrets.get("client_secret"):
        values["client_secret"] = secrets["client_secret"]
    if secrets.get("private_key"):
        values["private_key_pem"] = secrets["private_key"].encode("utf-8")
    return values


class TokenRecorder:
    """The ``token_obtained(flow, step, token_response)`` hook that saves the tokens a flow obtains
    to the history of ``storage``, on a thread of its own, so the flow never waits for the keyring.

    Opening the keyring is slow — keyring's detection imports every backend it knows, about
    100 ms — so :meth:`prepare` starts the thread that opens it (and loads the history code) while
    the flow waits for something else: the person signing in, a provider answering. A token
    response is handed to the thread and saved while the flow goes on. :meth:`finish` waits for
    the saves; call it before the flow's result is reported. A refused save (no usable keyring, a
    damaged history) then goes to ``on_error`` instead of stopping the flow; without ``on_error``
    it is raised.
    """

    def __init__(self, storage: Storage, *, profile: str = "",
                 on_error: Callable[[Exception], None] | None = None) -> None:  # fmt: skip
        self._storage = storage
        self._profile = profile
        self._on_error = on_error
        self._responses: queue.SimpleQueue[tuple[str, dict[str, Any]] | None] = queue.SimpleQueue()
        self._failures: list[Exception] = []
        # A daemon: should the flow end without finish() (a bug), the process still exits.
        self._thread = threading.Thread(target=self._run, name="history-recorder", daemon=True)

    def prepare(self) -> None:
        """Start opening the keyring now (once; a token handed over starts it too). Its imports
        compete with the flow's own for the interpreter, so call it once the flow is under way."""
        if self._thread.ident is None:
            self._thread.start()

    def __call__(self, flow: Any, _step: Any, token_response: Mapping[str, Any]) -> None:
        self.prepare()
        self._responses.put((flow.grant, dict(token_response)))

    def finish(self) -> None:
        """Wait until every token response handed over is saved, then report refused saves."""
        if self._thread.is_alive():
            self._responses.put(None)
            self._thread.join()
        failures, self._failures = self._failures, []
        for exc in failures:
            if self._on_error is None or not isinstance(exc, StorageError):
                raise exc
            self._on_error(exc)

    def _run(self) -> None:
        try:
            self._storage.vault.backend
            self._storage.history
        except Exception:  # noqa: BLE001 - e.g. no usable keyring: the first save meets it again and reports it
            pass
        while (item := self._responses.get()) is not None:
            grant, response = item
            try:
                self._storage.history.add_token_response(response, flow=grant, profile=self._profile)
            except Exception as exc:  # noqa: BLE001 - handed to finish(), on the flow's own thread
                self._failures.append(exc)
