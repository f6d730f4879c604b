"""What a running flow's steps share: settings, injected dependencies, the HTTP client, the
discovered metadata, the observer that front ends implement, and typed state.

State that several grants' steps read (the token response, the scope and nonce sent, the ID
token's claims) is a field of :class:`FlowContext`; state only one grant's steps pass along (the
authorization code grant's listener and PKCE verifier, the device grant's polling interval) is
a small dataclass in that grant's module, one per flow, from :meth:`FlowContext.state`. The
context knows nothing of what a grant holds: a grant that opens something (a listener) hands
its closing to :meth:`FlowContext.on_close`.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from inspector.core.advice import Advice
from inspector.core.flows.cancel import CancelToken
from inspector.core.flows.model import Flow, Step
from inspector.core.flows.questions import Question
from inspector.core.flows.settings import FlowSettings

if TYPE_CHECKING:
    import httpx

    from inspector.core.protocol.client_cert import ClientCertificate
    from inspector.core.protocol.discovery import Discovery
    from inspector.core.protocol.dpop_session import DpopSession
    from inspector.core.protocol.http import Client
    from inspector.core.protocol.jwks import JwksCache

__all__ = ["FlowContext", "FlowEnvironment", "FlowObserver", "SkipReason", "StepSpec"]

State = TypeVar("State")


def _open_system_browser(url: str) -> bool:
    import webbrowser

    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


@dataclass
class FlowEnvironment:
    """Dependencies as parameters: tests pass a MockTransport, a fake sleep, fixed randomness."""

    transport: "httpx.BaseTransport | None" = None
    #: Wall-clock seconds since the epoch (token times, assertion iat/exp).
    clock: Callable[[], float] = time.time
    #: Monotonic seconds (durations, deadlines).
    monotonic: Callable[[], float] = time.monotonic
    #: Waits between device polls; None means "wait on the cancel token" (wakes on cancel).
    sleep: Callable[[float], None] | None = None
    random: Callable[[int], str] = secrets.token_urlsafe
    open_browser: Callable[[str], bool] = _open_system_browser
    cancel: CancelToken = field(default_factory=CancelToken)
    jwks: "JwksCache | None" = None


class FlowObserver:
    """Override what you need. Called on the thread that runs the flow."""

    def step_started(self, flow: Flow, step: Step) -> None:
        """A step is about to send its request."""

    def step_finished(self, flow: Flow, step: Step) -> None:
        """A step ended (ok, error, cancelled or skipped)."""

    def question(self, flow: Flow, question: Question) -> None:
        """The person must act: open a URL, enter a device code."""

    def token_obtained(self, flow: Flow, step: Step, token_response: dict[str, Any]) -> None:
        """A token endpoint issued tokens (history recording hooks in here)."""

    def flow_finished(self, flow: Flow) -> None:
        """The flow reached ok, error or cancelled."""


@dataclass
class StepSpec:
    name: str
    title: str
    run: Callable[["FlowContext", Step], None]
    #: Fills ``step.inputs`` (the parameters the step will send) so a GUI can show and edit them.
    prepare: Callable[["FlowContext", Step], None] | None = None
    #: Why the step does not apply (e.g. no ID token to validate); None: it applies.
    skip: Callable[["FlowContext"], "SkipReason | None"] = lambda ctx: None


@dataclass(frozen=True)
class SkipReason:
    """Why a step was skipped, in words, and what would make it run: every skipped step says why."""

    text: str
    advice: Advice | None = None


class FlowContext:
    def __init__(self, flow: Flow, settings: FlowSettings, env: FlowEnvironment, observer: FlowObserver, *,
                 endpoints_needed: tuple[str, ...] = ()) -> None:
        self.flow = flow
        self.settings = settings
        self.env = env
        self.observer = observer
        #: The endpoints this flow's grant cannot do without (the runner hands them in from the grant).
        self.endpoints_needed = endpoints_needed
        self.discovery: "Discovery | None" = None
        #: The last valid token response (RFC 6749 §5.1) of this flow.
        self.token_response: dict[str, Any] | None = None
        #: The scope as sent (after any edit of the request); None: no step has sent one.
        self.scope: str | None = None
        #: The nonce as sent in the authorization request (OIDC Core §3.1.2.1); None: none sent.
        self.nonce: str | None = None
        #: The ID token's claims once it verified; None before, or when it did not.
        self.id_token_claims: dict[str, Any] | None = None
        #: The DPoP key and nonces of this flow when ``settings.dpop`` is on (RFC 9449), else None.
        self.dpop: "DpopSession | None" = None
        #: The client certificate presented in TLS (RFC 8705), checked when the client is made.
        self.client_certificate: "ClientCertificate | None" = None
        self._states: dict[type, Any] = {}
        self._on_close: list[Callable[[], None]] = []
        self._client: "Client | None" = None
        self._unlink_cancel: Callable[[], None] = lambda: None
        if settings.client_secret:  # masked even where it was never sent (client_secret_jwt signs with it)
            flow.sent.add_secret(settings.client_secret)

    @property
    def client(self) -> "Client":
        if self._client is None:
            from inspector.core.protocol.http import make_client

            if self.settings.client_cert_pem and self.settings.client_key_pem:
                from inspector.core.protocol.client_cert import check_client_certificate

                # an unusable certificate stops the first step that would connect, before anything is sent
                self.client_certificate = check_client_certificate(
                    self.settings.client_cert_pem, self.settings.client_key_pem, now=self.env.clock)
            client = make_client(timeout=self.settings.timeout, ca_bundle=self.settings.ca_bundle,
                                 transport=self.env.transport, client_cert=self.client_certificate)
            hooks = client.event_hooks
            client.event_hooks = {**hooks, "request": [*hooks["request"], self._note_sent]}
            self._client = client
            # Stop must not wait for an answer: the request in flight ends at once (a 'cancelled' finding)
            self._unlink_cancel = self.env.cancel.on_cancel(client.cancel)
        return self._client

    def _note_sent(self, request: "httpx.Request") -> None:
        """An httpx request hook: it sees each request as it leaves, with its Authorization header
        (from a hand-set endpoint's ``user:password@`` too), so the flow's record can mask them."""
        from urllib.parse import parse_qsl

        params = list(request.url.params.multi_items())
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            params += parse_qsl(request.content.decode("utf-8", "replace"), keep_blank_values=True)
        self.flow.sent.add_request(params, request.headers.items())
        if request.url.password:
            self.flow.sent.add_secret(request.url.password)

    @property
    def metadata(self) -> dict:
        """The provider's metadata as discovered; empty before discovery or when it has none."""
        return (self.discovery.metadata or {}) if self.discovery else {}

    @property
    def jwks(self) -> "JwksCache":
        if self.env.jwks is None:
            from inspector.core.protocol.jwks import JwksCache

            self.env.jwks = JwksCache()
        return self.env.jwks

    def ask(self, question: Question) -> None:
        self.observer.question(self.flow, question)

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` (device polling); True if the flow was cancelled meanwhile."""
        if self.env.sleep is None:
            return self.env.cancel.wait(seconds)
        self.env.sleep(seconds)
        return self.env.cancel.cancelled

    def state(self, kind: type[State]) -> State:
        """This flow's one ``kind`` (a grant's state dataclass), made with ``kind()`` on first use."""
        if kind not in self._states:
            self._states[kind] = kind()
        return self._states[kind]

    def on_close(self, close: Callable[[], None]) -> None:
        """Call ``close`` when the flow ends or is abandoned (a grant's listener, say); once."""
        self._on_close.append(close)

    def close(self) -> None:
        while self._on_close:
            self._on_close.pop()()
        if self._client is not None:
            self._unlink_cancel()
            self._client.close()
            self._client = None
