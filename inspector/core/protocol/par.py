"""Pushed Authorization Requests (RFC 9126): the client POSTs the authorization request's
parameters, with its client authentication, to the provider (§2.1) and receives a short-lived
``request_uri`` (§2.2); the browser then carries only ``client_id`` and that ``request_uri`` (§4),
so nothing in the front channel can be read or changed on the way.

Independent of the flow structure: the flow decides whether to push (:func:`choose`), pushes
(:func:`push`, client authentication given as a callable), refuses to send the browser to a
``request_uri`` that has run out (:func:`expiry_finding`) and builds the browser's URL
(:func:`browser_url`). Every problem is a finding; an OAuth error answer is worded from the one
table (:mod:`.oauth_errors`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from inspector.core.advice import Advice
from inspector.core.findings import Finding, error, warning
from inspector.core.protocol.http import Client, Exchange, HttpResult, send
from inspector.core.protocol.responses import read_json

__all__ = [
    "OPEN_MARGIN", "PAR_ENDPOINT", "REQUIRED_FLAG", "Authenticate", "BuildForm", "ParChoice", "PushAnswer", "PushedRequest",
    "SendForm", "browser_url", "choose", "expiry_finding", "push", "push_form", "read_answer",
]

PAR_ENDPOINT = "pushed_authorization_request_endpoint"
#: The metadata flag by which a provider says it accepts authorization requests only through PAR (§5).
REQUIRED_FLAG = "require_pushed_authorization_requests"
#: Seconds a request_uri must still have when the browser is sent to it: opening the browser and
#: reaching the authorization endpoint takes a moment, and the provider counts from its own clock.
OPEN_MARGIN = 2.0
WHAT = "pushed authorization request endpoint"

#: Adds the client's credentials to the form and headers in place, returns findings about them:
#: ``functools.partial(client_auth.apply_client_auth, method, client_id=…, secret=…, audience=…)``.
Authenticate = Callable[[dict[str, str], dict[str, str]], list[Finding]]
#: Builds the authenticated form and headers of one request.
BuildForm = Callable[[], "tuple[dict[str, str], dict[str, str]]"]
#: Sends the push to the endpoint, building the form with the given function (once per request sent).
SendForm = Callable[[str, BuildForm], HttpResult]

@dataclass(frozen=True)
class ParChoice:
    """Whether the authorization request is pushed, to which endpoint, and why (in plain words)."""

    use: bool
    endpoint: str | None
    #: The provider's metadata says it requires PAR (``require_pushed_authorization_requests``).
    required: bool
    reason: str
    findings: tuple[Finding, ...] = ()


def choose(metadata: Mapping[str, Any] | None, setting: bool | None) -> ParChoice:
    """PAR on or off: ``setting`` True or False is the person's explicit choice (a profile or
    ``--par``); None follows the provider, on when its metadata says
    ``require_pushed_authorization_requests`` (§5). Asking for PAR where the provider offers no
    endpoint is an error finding; turning it off where the provider requires it is allowed (that
    is how a refusal is tested) but never silent."""
    metadata = metadata or {}
    value = metadata.get(PAR_ENDPOINT)
    endpoint = value if isinstance(value, str) and value else None
    required = metadata.get(REQUIRED_FLAG) is True
    if setting is False:
        findings = (warning("par_required_off", "Pushed authorization requests are switched off, but the provider "
                            f"requires them ({REQUIRED_FLAG} in its metadata), so it will refuse the plain "
                            "authorization request (RFC 9126 §5).", claim=REQUIRED_FLAG,
                            advice=Advice("Turn pushed authorization requests on, unless the refusal is what you are "
                                          "testing.")),) if required else ()
        return ParChoice(False, endpoint, required, "switched off", findings)
    if endpoint is None:
        if setting:
            return ParChoice(False, None, required, "asked for, but the provider has no endpoint for it", (
                error("par_unavailable", "Pushed authorization requests are switched on, but there is no "
                      f"{PAR_ENDPOINT} to push the request to: the provider's metadata lists none and none is set.",
                      claim=PAR_ENDPOINT,
                      advice=Advice("Turn pushed authorization requests off, or set "
                                    "{pushed_authorization_request_endpoint} if the provider has one.",
                                    (PAR_ENDPOINT,))),))
        if required:
            return ParChoice(False, None, True, "required by the provider, which has no endpoint for it", (
                error("par_unavailable", f"The provider's metadata says {REQUIRED_FLAG} but lists no {PAR_ENDPOINT}: "
                      "it requires pushed authorization requests and offers nowhere to push them, so it will "
                      "refuse the authorization request.", claim=PAR_ENDPOINT,
                      advice=Advice("Ask the provider's administrators to fix its metadata, or set "
                                    "{pushed_authorization_request_endpoint} if you know it.", (PAR_ENDPOINT,))),))
        return ParChoice(False, None, False, "not offered by the provider")
    if setting:
        return ParChoice(True, endpoint, required, "switched on")
    if required:
        return ParChoice(True, endpoint, True, f"required by the provider ({REQUIRED_FLAG})")
    return ParChoice(False, endpoint, False, "offered by the provider, not switched on")


@dataclass(frozen=True)
class PushedRequest:
    """A request_uri and its lifetime, counted from ``pushed_at``: the clock's reading taken just
    before the request was sent, so the lifetime is never thought longer than the provider's."""

    request_uri: str
    expires_in: int
    pushed_at: float

    @property
    def expires_at(self) -> float:
        return self.pushed_at + self.expires_in

    def remaining(self, now: float) -> float:
        """Seconds left at ``now`` (negative once expired), on the clock ``pushed_at`` was read from."""
        return self.expires_at - now

    def expired(self, now: float, *, margin: float = 0.0) -> bool:
        """Whether fewer than ``margin`` seconds are left at ``now``."""
        return self.remaining(now) <= margin


@dataclass
class PushAnswer:
    """The outcome of one push: the request_uri, or the findings saying why there is none."""

    pushed: PushedRequest | None
    exchange: Exchange | None
    findings: list[Finding] = field(default_factory=list)
    oauth_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.pushed is not None


def push_form(params: Mapping[str, str]) -> dict[str, str]:
    """The authorization request's parameters as the pushed form (§2.1): empty ones left out (as
    the browser's URL leaves them), and never a ``request_uri``, which this request creates."""
    return {name: value for name, value in params.items() if value != "" and name != "request_uri"}


def push(client: Client, endpoint: str, params: Mapping[str, str], *, authenticate: Authenticate | None = None,
         send_form: SendForm | None = None, clock: Callable[[], float] = time.monotonic) -> PushAnswer:
    """POST ``params`` to ``endpoint`` (§2.1), authenticated by ``authenticate`` (at send time, so no
    secret or assertion sits in the caller's parameters). ``send_form`` sends it instead of a plain
    POST through ``client`` (a flow with DPoP adds a proof and may retry for a nonce, RFC 9449
    §10.1); it gets a function that builds the authenticated form and headers afresh on each call,
    as a retry needs a new single-use client assertion. ``clock`` must be the one later given to
    :func:`expiry_finding`."""
    form = push_form(params)
    notes: list[Finding] = []

    def authenticated() -> tuple[dict[str, str], dict[str, str]]:
        body, headers = dict(form), {}
        found = authenticate(body, headers) if authenticate is not None else []
        notes.extend(note for note in found if note not in notes)
        return body, headers

    pushed_at = clock()
    if send_form is None:
        body, headers = authenticated()
        http = send(client, "POST", endpoint, data=body, headers=headers)
    else:
        http = send_form(endpoint, authenticated)
    answer = read_answer(http, pushed_at=pushed_at)
    answer.findings[:0] = notes
    return answer


def read_answer(http: HttpResult, *, pushed_at: float) -> PushAnswer:
    """The provider's answer (§2.2: 201 Created with a ``request_uri`` string and ``expires_in``, a
    positive integer; §2.3: an OAuth error object)."""
    answer = read_json(http, endpoint=WHAT, error_code="par_error")
    if answer.data is None:
        return PushAnswer(None, http.exchange, answer.findings, answer.oauth_error)
    body = answer.data
    findings: list[Finding] = []
    request_uri, expires_in = body.get("request_uri"), body.get("expires_in")
    if not isinstance(request_uri, str) or not request_uri:
        findings.append(error("invalid_response", f"The {WHAT}'s answer has no request_uri string (RFC 9126 §2.2), "
                              "so there is nothing to send the browser to.", claim="request_uri"))
    if not _positive_integer(expires_in):
        findings.append(error("invalid_response", f"The {WHAT}'s answer has expires_in {expires_in!r}, not a "
                              "positive number of seconds (RFC 9126 §2.2), so how long the request_uri lasts is not "
                              "known.", claim="expires_in"))
    if http.exchange.status != 201:
        findings.append(warning("par_status", f"The {WHAT} answered HTTP {http.exchange.status} instead of "
                                "201 Created (RFC 9126 §2.2); clients that check the status will fail."))
    if any(finding.code == "invalid_response" for finding in findings):
        return PushAnswer(None, http.exchange, findings)
    return PushAnswer(PushedRequest(request_uri, int(expires_in), pushed_at), http.exchange, findings)


def _positive_integer(value: Any) -> bool:
    """JSON does not tell 60 from 60.0, so an integral float counts; a boolean does not."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return value > 0 and float(value).is_integer()


def expiry_finding(pushed: PushedRequest, now: float, *, margin: float = OPEN_MARGIN,
                   part: str | None = None) -> Finding | None:
    """``request_uri_expired`` when the browser would reach the request_uri after its lifetime
    (with ``margin`` seconds to open it): the provider would refuse it as invalid_request_uri, so
    the flow sends no browser there and says why. None while it is still usable."""
    if not pushed.expired(now, margin=margin):
        return None
    late = -pushed.remaining(now)
    when = f"ran out {late:.0f} s ago" if late >= 1 else "is about to run out"
    return error("request_uri_expired", f"The request_uri from the pushed authorization request {when}: it was valid "
                 f"for {pushed.expires_in} s (expires_in, RFC 9126 §2.2), and the provider would refuse it with "
                 "invalid_request_uri, so the browser is not sent to it.", claim="request_uri", part=part,
                 advice=Advice("Push the authorization request again and continue to the sign-in at once."))


def browser_url(authorization_endpoint: str, client_id: str, request_uri: str) -> str:
    """The authorization URL carrying only ``client_id`` and ``request_uri`` (§4); any query the
    endpoint URL already has is kept, as for a plain authorization request."""
    parts = urlsplit(authorization_endpoint)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("client_id", client_id), ("request_uri", request_uri)]
    return urlunsplit(parts._replace(query=urlencode(query)))
