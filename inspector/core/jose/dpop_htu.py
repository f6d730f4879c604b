"""The ``htu`` of a DPoP proof (RFC 9449 §4.2, §4.3): the request's URI without query and fragment.

Two jobs, two strengths. :func:`normalise_htu` writes the claim for a request this client sends:
it changes only what the request line and ``Host`` header will show anyway (scheme and host in
lower case, the default port dropped, dot segments removed, ``/`` for an empty path, and the
userinfo dropped, which never reaches the server and may hold a password), so a server that
compares literally agrees too. :func:`same_htu` compares a claim with a URI as RFC 9449 §4.3
asks servers to: after syntax-based and scheme-based normalisation (RFC 3986 §6.2.2, §6.2.3).

Standard library only: the decode path uses it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["normalise_htu", "origin_of", "same_htu"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
#: RFC 3986 §2.3 unreserved characters: percent-encoding them changes nothing (§6.2.2.2).
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalise_htu(url: str) -> str:
    """``htu`` for a request to ``url``. Raises ValueError for a URL that is not absolute http(s)."""
    scheme, netloc, path = _parts(url)
    return urlunsplit((scheme, netloc, _remove_dot_segments(path) or "/", "", ""))


def origin_of(url: str) -> str:
    """``https://host[:port]``, normalised as :func:`normalise_htu` does: servers keep nonces per
    origin (RFC 9449 §8, §9). Raises ValueError for a URL that is not absolute http(s)."""
    scheme, netloc, _path = _parts(url)
    return f"{scheme}://{netloc}"


def same_htu(claim: str, url: str) -> bool:
    """Whether ``claim`` names the URI ``url`` (query and fragment ignored), as a server compares
    them (RFC 9449 §4.3 step 9). False when either is not an absolute http(s) URI."""
    try:
        return _comparable(claim) == _comparable(url)
    except ValueError:
        return False


def _parts(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"{url!r} is not an absolute http or https URL")
    port = parts.port  # ValueError for a port that is not a number in range
    shown_host = f"[{host}]" if ":" in host else host
    netloc = shown_host if port is None or port == _DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    return scheme, netloc, parts.path


def _comparable(url: str) -> str:
    """RFC 3986 §6.2.2: percent-encodings in upper case, unreserved characters decoded, dot segments removed."""
    scheme, netloc, path = _parts(url)
    path = _PERCENT.sub(_normalise_escape, path)
    return urlunsplit((scheme, netloc, _remove_dot_segments(path) or "/", "", ""))


def _normalise_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4, step by step (what every HTTP client does before sending the request line)."""
    output: list[str] = []
    rest = path
    while rest:
        if rest.startswith("../"):
            rest = rest[3:]
        elif rest.startswith("./"):
            rest = rest[2:]
        elif rest.startswith("/./"):
            rest = rest[2:]
        elif rest == "/.":
            rest = "/"
        elif rest.startswith("/../"):
            rest = rest[3:]
            if output:
                output.pop()
        elif rest == "/..":
            rest = "/"
            if output:
                output.pop()
        elif rest in (".", ".."):
            rest = ""
        else:
            start = 1 if rest.startswith("/") else 0
            end = rest.find("/", start)
            end = len(rest) if end == -1 else end
            output.append(rest[:end])
            rest = rest[end:]
    return "".join(output)
