"""What the Flows panel's "Call an API" tab sends, and the worker job that sends it: the token and
the DPoP key from the source the person chose, then :func:`inspector.core.protocol.api_call.call_api`.

Qt-free, so the tab stays a view: it builds a :class:`CallSpec` from its fields and runs
:func:`send_call` in a worker (storage and keyring reads happen there, under the storage lock,
never on the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspector.core.errors import InspectorError

if TYPE_CHECKING:
    from inspector.core.flows.cancel import CancelToken
    from inspector.core.protocol.api_call import ApiAnswer
    from inspector.core.protocol.dpop_session import DpopSession
    from inspector.ui.context import AppContext

__all__ = ["KEY_SOURCES", "TOKEN_SOURCES", "CallSpec", "LastFlow", "send_call"]

#: Where the token comes from: (value, words), in the order the tab offers them.
TOKEN_SOURCES = (("pasted", "Pasted token"), ("flow", "Last flow's access token"), ("history", "History entry"))
#: Where the DPoP key comes from.
KEY_SOURCES = (("flow", "Last flow's DPoP key"), ("history", "History entry's key"),
               ("profile", "Active profile's kept key"))
_HISTORY_KINDS = {"access": "access_token", "id": "id_token", "refresh": "refresh_token"}


@dataclass(frozen=True)
class LastFlow:
    """What the last flow left to call with: its access token, the token type and its DPoP session."""

    access_token: str | None = field(default=None, repr=False)
    token_type: str | None = None
    dpop: "DpopSession | None" = None


@dataclass(frozen=True)
class CallSpec:
    """The tab's fields as typed."""

    method: str
    url: str
    headers: str = ""
    body: str = ""
    token_source: str = "pasted"
    pasted: str = field(default="", repr=False)
    history_id: str = ""
    dpop: bool = False
    key_source: str = "flow"
    profile: str | None = None
    last_flow: LastFlow = field(default_factory=LastFlow)


def _token(context: AppContext, spec: CallSpec) -> tuple[str | None, str | None, str | None]:
    """The token, its kind when known, and the DPoP key a history entry keeps beside it."""
    if spec.token_source == "flow":
        if not spec.last_flow.access_token:
            raise InspectorError("No flow has obtained an access token yet: run a flow first, or paste a token.",
                                 code="usage")
        return spec.last_flow.access_token, "access_token", None
    if spec.token_source == "history":
        if not spec.history_id.strip():
            raise InspectorError("Give the ID of the history entry whose token to send.", code="usage")
        with context.storage_lock:
            history = context.storage.history
            entry = history.get(spec.history_id.strip())
            return history.token(entry.id), _HISTORY_KINDS.get(entry.kind), history.dpop_key(entry.id)
    return spec.pasted.strip() or None, None, None


def _session(context: AppContext, spec: CallSpec, kept_key: str | None) -> DpopSession:
    from inspector.core.protocol.dpop_session import DpopSession

    if spec.key_source == "flow":
        if spec.last_flow.dpop is None:
            raise InspectorError("The last flow ran without DPoP, so it has no key: turn DPoP on for the flow, or "
                                 "choose another key source.", code="usage")
        return spec.last_flow.dpop
    if spec.key_source == "history":
        if not kept_key:
            raise InspectorError("The history entry keeps no DPoP key (its token was not obtained with DPoP): "
                                 "choose another key source.", code="usage")
        return DpopSession.start(kept_key)
    if not spec.profile:
        raise InspectorError("No profile is chosen: pick one in the Profile box, or choose another key source.",
                             code="usage")
    from inspector.core.storage.flow_link import settings_from_profile

    with context.storage_lock:
        key = settings_from_profile(context.storage.profiles, spec.profile, with_client_secret=False,
                                    with_private_key=False).dpop_key
    if not key:
        raise InspectorError(f"The profile {spec.profile!r} keeps no DPoP key: run a flow with DPoP on and its key "
                             "kept under that profile, or choose another key source.", code="usage")
    return DpopSession.start(key)


def _ca_bundle(context: AppContext, profile: str | None) -> str | None:
    if not profile:
        return None
    with context.storage_lock:
        return context.storage.profiles.get(profile).ca_bundle or None


def send_call(context: AppContext, spec: CallSpec, cancel: CancelToken) -> tuple[ApiAnswer, Any]:
    """Send the call (in a worker): the answer and the redactor to show it with. Raises
    :class:`InspectorError` in words for a request that cannot be sent."""
    from inspector.core.protocol.api_call import BEARER, call_api
    from inspector.core.protocol.api_input import read_request

    request = read_request(spec.method, spec.url, spec.headers, spec.body)
    token, kind, kept_key = _token(context, spec)
    authorizer: Any = BEARER
    if spec.dpop:
        if token is None:
            raise InspectorError("DPoP sends a token with a proof of its key, but there is no token: paste one or "
                                 "choose another token source.", code="usage")
        from inspector.core.protocol.api_dpop import DpopAuthorizer

        authorizer = DpopAuthorizer(_session(context, spec, kept_key), clock=context.clock)
    with context.cancellable_client(cancel, _ca_bundle(context, spec.profile)) as client:
        answer = call_api(client, request, token, authorizer=authorizer, kind=kind, now=context.clock)
    context.note_exchanges(answer.exchanges)
    return answer, answer.redactor()
