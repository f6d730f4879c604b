"""Calling a protected resource with an access token, and saying what its answer means: the
OAuth Playground's third step ("call an API with the token"), for the CLI's ``call`` and the GUI.

The request goes through :func:`inspector.core.protocol.http.send`, so it has the same bounds as
every protocol request (the whole exchange within the client's timeout, the body within
:data:`MAX_RESPONSE_BYTES` once decompressed, a cancel stops it at once) and is recorded the same
way: an :class:`Exchange` whose ``Authorization`` and ``Cookie`` headers are masked, plus any
header whose name says it carries a secret (``X-Api-Key``, ``X-Auth-Token``, …). The token and
those values are also masked wherever the API echoes them (:class:`SentValues`).

The credentials come from an :class:`Authorizer`, asked for the headers of each attempt (a DPoP
proof differs per method and URL) and whether to send once more after an answer (RFC 9449 §9:
a fresh ``DPoP-Nonce``). :class:`BearerAuthorizer` is RFC 6750 §2.1; the DPoP one is
:class:`inspector.core.protocol.api_dpop.DpopAuthorizer`. Every DPoP proof sent is kept on the
answer (:attr:`ApiAnswer.proofs`) and shown decoded, as the flow's steps show theirs.

Redirects: a redirect to another origin is never followed (the token is meant for the API it was
issued for; following would hand it to whoever runs that origin): the answer stays the 3xx with a
``redirect_not_followed`` finding saying where it pointed. A redirect on the same origin (scheme,
host and port) is followed, at most :data:`MAX_REDIRECTS` times, with fresh credentials each time
(``/items`` → ``/items/`` is common); each hop is its own recorded exchange.

Plain http: a token (or a secret header) sent over http to a host that is not loopback travels
readable by anyone on the path, so it is refused unless ``allow_http`` (then a warning says so).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import httpx

from inspector.core.errors import InspectorError, ProtocolError
from inspector.core.findings import Finding, Severity, error, info, warning
from inspector.core.jose.token_kind import ID, REFRESH, kind_sign
from inspector.core.protocol.challenges import TokenFacts, challenge_findings, read_challenges
from inspector.core.protocol.endpoints import is_loopback_url
from inspector.core.protocol.http import MAX_RESPONSE_BYTES, Client, Exchange, HttpResult, send
from inspector.core.protocol.www_authenticate import Challenge
from inspector.core.redact import MASK, SECRET_NAMES, Redactor, SentValues, redact_url

__all__ = ["BEARER", "MAX_REDIRECTS", "ApiAnswer", "ApiRequest", "Authorizer", "BearerAuthorizer", "ResponseBody",
           "call_api", "check_target", "is_secret_header"]

#: Same-origin redirects followed before giving up (``too_many_redirects``).
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Header names that say they carry a credential, beyond :data:`SECRET_NAMES`.
_SECRET_HEADER = re.compile(r"auth|token|secret|api[-_]?key|session|passw|credential|signature|cookie", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TEXT_TYPES = ("text/", "xml", "javascript", "x-www-form-urlencoded", "yaml", "csv")
#: JSON preferred (most APIs speak it), anything else still taken rather than a 406.
_ACCEPT = "application/json, */*;q=0.8"
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+")


def is_secret_header(name: str) -> bool:
    """Whether a request header's value is a credential, masked whole wherever it is shown."""
    return name.lower() in SECRET_NAMES or _SECRET_HEADER.search(name) is not None


@dataclass(frozen=True)
class ApiRequest:
    """What to send: ``headers`` in order (a name may repeat), ``body`` as bytes (its
    Content-Type is one of the headers)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


class Authorizer(Protocol):
    """Puts the token on each attempt, and may ask for one more attempt after an answer."""

    def headers(self, method: str, url: str, token: str) -> dict[str, str]:
        """The headers that carry ``token`` on a ``method`` request to ``url``."""

    def retry(self, response: httpx.Response) -> bool:
        """Whether to send the same request once more (its :meth:`headers` asked again)."""


class BearerAuthorizer:
    """RFC 6750 §2.1: ``Authorization: Bearer <token>``, never retried."""

    def headers(self, method: str, url: str, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def retry(self, response: httpx.Response) -> bool:
        return False


BEARER = BearerAuthorizer()


@dataclass(frozen=True)
class ResponseBody:
    """A body as shown: ``kind`` ``json`` (``value`` the parsed JSON), ``text`` (the text),
    ``binary`` (``value`` a summary; the bytes are not shown) or ``empty`` (``value`` None)."""

    kind: str
    value: Any
    content_type: str
    size: int

    def to_json(self, redactor: Redactor) -> Any:
        return redactor.value(self.value)


@dataclass
class ApiAnswer:
    """The call as a record: the request as asked, every exchange sent (redirect hops, a retry),
    and the last answer's status, headers, body, challenges and findings."""

    request: ApiRequest
    exchanges: list[Exchange] = field(default_factory=list)
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: ResponseBody | None = None
    challenges: list[Challenge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The DPoP proofs sent (RFC 9449 §4.1), one per attempt, in order; empty for a Bearer call.
    proofs: list[str] = field(default_factory=list)
    #: What was sent that must not come back into view (the token, secret headers).
    sent: SentValues = field(default_factory=SentValues, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """A 2xx answer (RFC 9110 §15.3) read whole (a body past the cap or the timeout is not)."""
        return self.status is not None and 200 <= self.status < 300 and self.body is not None

    def redactor(self, show_tokens: bool = False) -> Redactor:
        return Redactor.of(self.sent, show_tokens)

    def decoded_proofs(self) -> list[dict[str, Any]]:
        """Each proof's header and claims, as the person reads them (the signature says nothing more)."""
        from inspector.core.jose.parse import decode

        shown = []
        for proof in self.proofs:
            decoded = decode(proof)
            shown.append({"header": decoded.header, "claims": decoded.claims})
        return shown

    def request_json(self, redactor: Redactor) -> dict[str, Any]:
        first = self.exchanges[0] if self.exchanges else None
        headers = first.request_headers if first else _masked_headers(self.request.headers)
        return {"method": self.request.method.upper(), "url": redactor.text(redact_url(self.request.url)),
                "headers": redactor.value(headers), "body": redactor.value(_request_body(self.request))}

    def to_json(self, *, show_tokens: bool = False) -> dict[str, Any]:
        """``{status, reason, headers, body, body_type, challenges, findings, request, exchanges}``,
        and ``dpop_proofs`` (each decoded: header and claims) when the call sent DPoP proofs;
        secrets masked, the token abbreviated wherever it comes back unless ``show_tokens``."""
        redactor = self.redactor(show_tokens)
        data = {
            "status": self.status,
            "reason": self.reason,
            "headers": redactor.value(_header_dict(self.headers)),
            "body": self.body.to_json(redactor) if self.body else None,
            "body_type": self.body.kind if self.body else None,
            "challenges": [redactor.value(challenge.to_json()) for challenge in self.challenges],
            "findings": [redactor.finding(finding).to_json() for finding in self.findings],
            "request": self.request_json(redactor),
            "exchanges": [exchange.to_json(redactor) for exchange in self.exchanges],
        }
        if self.proofs:
            data["dpop_proofs"] = self.decoded_proofs()
        return data


def _header_dict(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Repeated headers joined as RFC 9110 §5.3 allows (a list, comma-separated)."""
    joined: dict[str, str] = {}
    for name, value in headers:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def _masked_headers(headers: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> dict[str, str]:
    return _header_dict([(name, MASK if is_secret_header(name) else value) for name, value in headers])


def _request_body(request: ApiRequest) -> Any:
    if not request.body:
        return None
    content_type = next((value for name, value in request.headers if name.lower() == "content-type"), "")
    return _body_view(request.body, content_type).value


def check_target(url: str, *, credentials: bool, allow_http: bool = False) -> list[Finding]:
    """Raise :class:`ProtocolError` for a URL that cannot be called (``invalid_url``) or would
    carry ``credentials`` readable by anyone (``insecure_url``: plain http off loopback, unless
    ``allow_http``); return the warnings about one that can."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ProtocolError(f"The URL {redact_url(url)!r} is not valid: {exc}.", code="invalid_url") from exc
    if parsed.scheme not in _DEFAULT_PORTS or not parsed.host:
        raise ProtocolError(f"The URL {redact_url(url)!r} is not an http(s) URL: only http and https APIs can be "
                            "called.", code="invalid_url")
    if parsed.userinfo:
        raise ProtocolError(f"The URL {redact_url(url)!r} carries a user name or password: it would be sent as "
                            "Basic credentials in place of the token. Remove it from the URL.", code="invalid_url")
    if parsed.scheme == "https" or is_loopback_url(url) or not credentials:
        return []
    if not allow_http:
        raise ProtocolError(f"The URL {redact_url(url)} uses plain http off loopback: the token would travel "
                            "unencrypted, readable by anyone on the way.", code="insecure_url",
                            hint="Use the API's https URL (or --allow-http for a test network you trust).")
    return [warning("insecure_transport", f"The credentials are sent over plain http to {parsed.host}: anyone on "
                    "the way can read and reuse them.")]


def call_api(client: Client, request: ApiRequest, token: str | None, *, authorizer: Authorizer = BEARER,
             allow_http: bool = False, kind: str | None = None, max_redirects: int = MAX_REDIRECTS,
             now: Callable[[], float] = time.time, limit: int = MAX_RESPONSE_BYTES) -> ApiAnswer:
    """Send ``request`` with ``token`` (put on by ``authorizer``; None sends no token) and return
    the answer with findings: what a refusal's challenge means, redirects, the transport.
    ``kind`` is the token's kind when known (``id_token``, …: a history entry knows it); else a
    JWT's claims suggest it, and an ID or refresh token sent to an API is a warning.
    Raises :class:`ProtocolError` for a URL that cannot be called (:func:`check_target`), and
    when the request already has an Authorization header and a token is given too."""
    user_auth = [value for name, value in request.headers if name.lower() == "authorization"]
    if token is not None and not _PRINTABLE_ASCII.fullmatch(token):
        raise ProtocolError("The token holds spaces, line breaks or characters that are not ASCII: a token is "
                            "printable ASCII (RFC 6750 §2.1), so it cannot be sent as it is.", code="invalid_token_text",
                            hint="Check that the whole token was copied, and only the token.")
    if token is not None and user_auth:
        raise ProtocolError("The request has its own Authorization header and a token to send: only one can be "
                            "sent.", code="conflicting_credentials",
                            hint="Drop the Authorization header, or do not give a token.")
    secret_headers = [(name, value) for name, value in request.headers if is_secret_header(name)]
    answer = ApiAnswer(request)
    answer.findings.extend(check_target(request.url, credentials=token is not None or bool(secret_headers),
                                        allow_http=allow_http))
    if token is not None:
        answer.sent.add("access_token", token)
    answer.sent.add_request((), [("authorization", value) for value in user_auth])
    for _name, value in secret_headers:
        answer.sent.add_secret(value)
    header, claims = _decoded(token)
    answer.findings.extend(_token_kind_findings(kind or (kind_sign(header, claims).kind if claims else None)))
    method, url, body = request.method.upper(), request.url, request.body
    result: HttpResult | None = None
    scheme: str | None = None
    for hop in range(max_redirects + 1):
        dropped_body = body is None and request.body is not None
        result, scheme = _attempts(client, answer, method, url, body, token, authorizer, limit,
                                   drop_content_type=dropped_body)
        response = result.response
        if response is None or response.status_code not in _REDIRECTS or "location" not in response.headers:
            break
        target = _same_origin_target(url, response, answer.findings)
        if target is None:
            break
        if hop == max_redirects:
            answer.findings.append(error("too_many_redirects", f"The API redirected more than {max_redirects} times "
                                         f"within its origin; the last redirect, to {redact_url(target)}, was not "
                                         "followed."))
            break
        answer.findings.append(info("redirect_followed", f"{method} {redact_url(url)} was redirected "
                                    f"({response.status_code}) to {redact_url(target)}, on the same origin, and "
                                    f"followed{' with the token' if token is not None else ''}."))
        method, body = _redirected(method, body, response.status_code)
        url = target
    assert result is not None
    _finish(answer, result, TokenFacts.of(scheme, claims), now())
    return answer


def _attempts(client: Client, answer: ApiAnswer, method: str, url: str, body: bytes | None, token: str | None,
              authorizer: Authorizer, limit: int, *, drop_content_type: bool) -> tuple[HttpResult, str | None]:
    """One request, sent once more if the authorizer asks (at most once); each one recorded.
    ``drop_content_type``: a redirect turned the request into one without its body."""
    for attempt in range(2):
        headers = httpx.Headers(list(answer.request.headers))
        headers.setdefault("Accept", _ACCEPT)
        if token is not None:
            for name, value in authorizer.headers(method, url, token).items():
                headers[name] = value
                if name.lower() == "dpop":
                    answer.proofs.append(value)
        if drop_content_type and "content-type" in headers:
            del headers["content-type"]
        result = send(client, method, url, content=body, headers=headers, limit=limit)
        answer.exchanges.append(_recorded(result))
        if result.finding is not None:
            answer.findings.append(result.finding)
        if attempt or result.response is None or token is None or not authorizer.retry(result.response):
            break
        answer.findings.append(info("sent_again", f"The API refused the first attempt ({result.exchange.status}) "
                                    "asking for fresh credentials (a DPoP nonce, RFC 9449 §9); the request was sent "
                                    "once more with them."))
    authorization = headers.get("authorization")
    return result, authorization.split(" ", 1)[0] if authorization else None


def _recorded(result: HttpResult) -> Exchange:
    """The exchange with every secret-named request header masked whole, and the body as shown."""
    exchange = result.exchange
    exchange.request_headers = {name: MASK if is_secret_header(name) else value
                                for name, value in exchange.request_headers.items()}
    if result.response is not None:
        exchange.body = _body_view(result.response.content, result.response.headers.get("content-type", ""),
                                   exchange.body).value
    return exchange


def _same_origin_target(url: str, response: httpx.Response, findings: list[Finding]) -> str | None:
    """Where a redirect points, when it is on ``url``'s origin (RFC 6454 §4); otherwise a finding."""
    location = response.headers["location"]
    try:
        target = httpx.URL(url).join(location)
    except (httpx.InvalidURL, ValueError):
        findings.append(warning("redirect_not_followed", f"The API redirected ({response.status_code}) to "
                                f"{redact_url(location)!r}, which is not a valid URL; it was not followed."))
        return None
    if _origin(target) == _origin(httpx.URL(url)):
        return str(target)
    findings.append(warning("redirect_not_followed", f"The API redirected ({response.status_code}) to "
                            f"{redact_url(str(target))}, on another origin ({_origin_text(target)}). It was not "
                            "followed, so the token was not sent there: a token is for the API it was issued for, "
                            "and following would hand it to whoever runs that origin. Call that URL yourself if "
                            "you trust it."))
    return None


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(url.scheme)


def _origin_text(url: httpx.URL) -> str:
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}" + ("" if port == _DEFAULT_PORTS.get(scheme) else f":{port}")


def _redirected(method: str, body: bytes | None, status: int) -> tuple[str, bytes | None]:
    """RFC 9110 §15.4: 303 becomes GET (HEAD stays); 301 and 302 turn POST into GET as browsers
    do; 307 and 308 keep the method and body. A GET carries no body."""
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        return "GET", None
    return method, body


def _decoded(token: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A JWT access token's header and claims, read without verification (an opaque token has none)."""
    if not token:
        return None, None
    from inspector.core.jose.parse import decode

    try:
        decoded = decode(token)
    except InspectorError:
        return None, None
    return (decoded.header, decoded.claims) if decoded.format == "jws" else (None, None)


def _token_kind_findings(kind: str | None) -> list[Finding]:
    if kind == ID:
        return [warning("not_an_access_token", "The token is an ID token, or looks like one: an ID token tells the "
                        "client who signed in; APIs take the access token (OIDC Core §2, RFC 9068 §1).")]
    if kind == REFRESH:
        return [warning("not_an_access_token", "The token is a refresh token, or looks like one: it is for the "
                        "token endpoint only; APIs take the access token (RFC 6749 §1.5).")]
    return []


def _finish(answer: ApiAnswer, result: HttpResult, facts: TokenFacts, now: float) -> None:
    exchange = result.exchange
    answer.status = exchange.status
    response = result.response
    if response is None:
        return
    answer.reason = response.reason_phrase
    answer.headers = list(response.headers.multi_items())
    answer.body = _body_view(response.content, response.headers.get("content-type", ""), exchange.body)
    if answer.body.kind == "text" and _is_json_type(answer.body.content_type) and answer.body.value.strip():
        answer.findings.append(warning("body_not_json", "The answer says it is JSON (Content-Type "
                                       f"{answer.body.content_type}) but its body is not valid JSON."))
    challenges, malformed = read_challenges(response.headers.get_list("www-authenticate"))
    answer.challenges = challenges
    answer.findings.extend(malformed)
    answer.findings.extend(challenge_findings(response.status_code, challenges, facts,
                                              dpop_nonce=response.headers.get("dpop-nonce"), now=now))
    explained = any(finding.severity is Severity.ERROR or finding.code == "redirect_not_followed"
                    for finding in answer.findings)
    if not answer.ok and not explained:
        answer.findings.append(_status_finding(response))


def _status_finding(response: httpx.Response) -> Finding:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code < 400:
        where = f" to {redact_url(response.headers['location'])}" if "location" in response.headers else \
            " without saying where (no Location header)" if response.status_code in _REDIRECTS else ""
        return error("http_error", f"The API answered {status}{where}, not a success.")
    if response.status_code >= 500:
        return error("http_error", f"The API answered {status}: it failed on its side. The body may say why; "
                     "try again later or ask its owners.")
    return error("http_error", f"The API answered {status}: it refused this request for a reason other than the "
                 "token (the body may say which: the URL, method, parameters or body).")


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _body_view(content: bytes, content_type: str, parsed: Any = None) -> ResponseBody:
    """How to show a body: JSON (already parsed by :func:`send` for JSON types), text, or a
    summary of binary data."""
    size = len(content)
    if not content:
        return ResponseBody("empty", None, content_type, 0)
    if _is_json_type(content_type) or (not content_type and content.lstrip()[:1] in (b"{", b"[")):
        if parsed is not None and not isinstance(parsed, str):
            return ResponseBody("json", parsed, content_type, size)
        try:
            return ResponseBody("json", json.loads(content), content_type, size)
        except (ValueError, RecursionError):  # not JSON after all: shown as text, or as binary
            pass
    text = _text(content, content_type)
    if text is None:
        what = content_type.split(";", 1)[0].strip() or "no content type"
        return ResponseBody("binary", f"({size:,} bytes of binary data, {what}; not shown)", content_type, size)
    return ResponseBody("text", text, content_type, size)


def _text(content: bytes, content_type: str) -> str | None:
    """The body as text when it is text: its charset (UTF-8 by default) decodes it and it holds no
    control characters other than tab, newline, carriage return and form feed."""
    charset = httpx.Response(200, headers={"content-type": content_type}).charset_encoding or "utf-8"
    try:
        text = content.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None
    media = content_type.lower()
    if any(kind in media for kind in _TEXT_TYPES):
        return text
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
        return None
    return text
