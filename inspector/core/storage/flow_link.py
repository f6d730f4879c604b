"""Where profiles and history meet the flows: a saved profile as flow settings, and the hooks
that record the tokens a flow obtains and the flow's record when it ends.

Secrets are fetched from the keyring only when the profile has them and the caller did not
supply its own (an explicit ``--client-secret-env`` wins and needs no keyring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping

from inspector.core.errors import StorageError

if TYPE_CHECKING:
    from inspector.core.flows.model import Flow
    from inspector.core.storage.history import HistoryEntry, HistoryStore
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


def token_recorder(history: HistoryStore, *, profile: str = "",
                   on_error: Callable[[Exception], None] | None = None) -> Callable[[Any, Any, Mapping[str, Any]], list[HistoryEntry]]:  # fmt: skip
    """A ``token_obtained(flow, step, token_response)`` hook that saves the tokens to ``history``
    and returns their entries, an opaque access token with the expiry its ``expires_in`` gives
    (counted from now: the hook runs as the response arrives). The CLI and the GUI both save a
    flow's tokens through it, on the thread that runs the flow, as soon as the token endpoint
    answers.

    A refused save (no usable keyring, a damaged history) goes to ``on_error`` instead of
    stopping the flow (nothing is returned then); without ``on_error`` it is raised.
    """

    def record(flow: Any, _step: Any, token_response: Mapping[str, Any]) -> list[HistoryEntry]:
        try:
            return history.add_token_response(token_response, flow=flow.grant, profile=profile)
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
