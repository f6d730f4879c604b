"""The cheap first look at every entry of a recording: which may be OAuth, and which only maybe.

Most of a recording is images, fonts, scripts, style sheets and the app's own API calls, and
reading it must cost little more than ``json.load``. So each entry gets a few dictionary lookups
and one regular expression on its URL (and on a POST's body), and only what passes is parsed:

- a candidate has OAuth in its URL (parameters, an endpoint's usual name) or its POST body
  (``grant_type``, ``client_id``, ``code``...), or is answered by a redirect;
- a maybe is any other HTML, JSON or JWT answer. It is kept (``worth_a_look``) once the
  candidates have shown which hosts the login involves, or when its body holds a form_post
  callback or a JWK Set;
- everything else is noise, never looked at again.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from inspector.core.har.entries import UnreadableBody, response_text
from inspector.core.har.pages import CALLBACK_KEYS, has_callback_form

__all__ = ["CANDIDATE", "MAYBE", "NOISE", "quick_host", "triage", "worth_a_look"]

NOISE, CANDIDATE, MAYBE = 0, 1, 2

#: Parameter names of OAuth requests and responses (RFC 6749 §4, RFC 7009, RFC 7662, RFC 8628, RFC 9126).
BODY_NAMES = frozenset({"grant_type", "response_type", "request_uri", "request", "client_id", "token", *CALLBACK_KEYS})
_NAMES = "|".join(sorted(BODY_NAMES))
#: OAuth parameters in a query or fragment, or an endpoint known by its usual path.
_URL_HINT = re.compile(
    rf"[?&#](?:response_type|request_uri|request|{'|'.join(sorted(CALLBACK_KEYS))})="
    r"|/\.well-known/|userinfo|introspect|revo[ck]")
#: One of ``BODY_NAMES`` as a form field (``name=``) or quoted (a JSON key, a multipart part's name).
_BODY_HINT = re.compile(rf"(?:^|&)(?:{_NAMES})=|[\"'](?:{_NAMES})[\"']")
_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]*)")


def triage(request: Mapping[str, Any], response: Any) -> int:
    """NOISE, CANDIDATE or MAYBE for an entry whose request has a string ``url`` and ``method``."""
    method = request["method"]
    if method in ("OPTIONS", "HEAD"):  # preflights and probes carry no OAuth parameters
        return NOISE
    if _URL_HINT.search(request["url"]):
        return CANDIDATE
    if method != "GET" and _posts_oauth(request.get("postData")):
        return CANDIDATE
    if not isinstance(response, dict):
        return NOISE
    status = response.get("status")
    if isinstance(status, int) and 300 <= status < 400 or response.get("redirectURL"):
        return CANDIDATE
    content = response.get("content")
    mime = content.get("mimeType") if isinstance(content, dict) else None
    if isinstance(mime, str):
        mime = mime.lower()
        if "html" in mime or "json" in mime or "jwt" in mime:
            return MAYBE
    return NOISE


def worth_a_look(entry: Mapping[str, Any], hosts: set[str]) -> bool:
    """Whether a MAYBE entry is on one of ``hosts`` (the provider's, the endpoints' of a discovery
    document), or its body holds a form_post callback (HTML) or a JWK Set (JSON)."""
    if quick_host(entry["request"]["url"]) in hosts:
        return True
    content = entry["response"]["content"]
    text = content.get("text")
    if content.get("encoding") == "base64":
        try:
            text = response_text(content)
        except UnreadableBody:
            return False
    if not isinstance(text, str):
        return False
    if "html" in content["mimeType"].lower():
        return has_callback_form(text)
    return '"keys"' in text


def quick_host(url: str) -> str:
    """``host[:port]`` of an absolute URL, lower-case, without parsing the rest of it."""
    found = _HOST.match(url)
    return found.group(1).rpartition("@")[2].lower() if found else ""


def _posts_oauth(post_data: Any) -> bool:
    if not isinstance(post_data, dict):
        return False
    text = post_data.get("text")
    if isinstance(text, str) and text:
        if post_data.get("encoding") == "base64":
            try:
                text = response_text(post_data)
            except UnreadableBody:
                return False
        return text is not None and _BODY_HINT.search(text) is not None
    params = post_data.get("params")
    return isinstance(params, list) and any(isinstance(item, dict) and item.get("name") in BODY_NAMES
                                            for item in params)
