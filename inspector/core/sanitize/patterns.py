"""Where free text holds a secret: the regular expressions of the scrubber's text rules.

Each starts with something cheap to find (``eyJ``, ``://``, a keyword) so large bodies are
scanned at the speed of a substring search. Names are found from their keyword:
:func:`name_matches` looks for the keywords of :data:`rules.KEYWORDS` and tries the name pattern
only just before each one (no name starts more than :func:`reach_back` characters before its
keyword), so a megabyte of script costs milliseconds, not the second a pattern of two dozen
alternatives tried at every position would.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from inspector.core.sanitize import rules

__all__ = ["ATTRIBUTE", "CREDENTIAL", "INPUT", "JWT", "MULTIPART", "PLAIN", "USERINFO", "jwt_start", "name_matches"]

_SEGMENT = "[A-Za-z0-9_-]"
#: A compact JWS (three segments) or JWE (five; its encrypted key may be empty), RFC 7515/7516 §7.1.
JWT = re.compile(rf"eyJ{_SEGMENT}+\.{_SEGMENT}*\.{_SEGMENT}+(?:\.{_SEGMENT}+\.{_SEGMENT}+)?(?!{_SEGMENT})")
#: A URL's ``user:password@`` (RFC 3986 §3.2.1).
USERINFO = re.compile(r"://(?P<user>[^/\s:@\"'<>]+):(?P<password>[^/\s@\"'<>]+)@")
#: ``Bearer …``, ``Basic …``, ``DPoP …`` credentials written out (RFC 6750 §2.1, RFC 7617, RFC 9449 §7.1).
CREDENTIAL = re.compile(r"\b(?P<scheme>bearer|basic|dpop)(?P<space>[ \t]+)(?P<credential>[A-Za-z0-9._~+/=-]{8,})",
                        re.IGNORECASE)
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"([^\s\"'<>/=]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+)")
#: A ``multipart/form-data`` part (RFC 7578 §4.2): its name and its one-line value.
MULTIPART = re.compile(r"\bname=\"(?P<name>[^\"\r\n]*)\"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?\r?\n(?P<value>[^\r\n]*)",
                       re.IGNORECASE)
#: RFC 7636 §4.2: with the plain method, the challenge is the verifier itself.
PLAIN = re.compile(r"code_challenge_method[\"']?\s*[:=]\s*[\"']?plain\b", re.IGNORECASE)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
#: Quotes and backslashes that may stand before a name (``\\"code\\":``).
_QUOTING = 4


def jwt_start(text: str, start: int) -> bool:
    """Whether a JWT found at ``start`` begins there (not inside a longer word or dotted name)."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_.-")


def _names(personal: bool) -> dict[str, str]:
    names = {**rules.SECRETS, "code_challenge": rules.VERIFIER}
    if personal:
        names.update(dict.fromkeys(rules.PERSONAL, rules.PERSONAL_KIND))
    return names


@lru_cache(maxsize=2)
def _name_pattern(personal: bool) -> re.Pattern[str]:
    """A name next to its value: ``"name": "value"``, ``name = 'value'`` (JSON, scripts) or
    ``name=value`` (forms, queries, fragments; ``name%3Dvalue`` inside an encoded URL)."""
    alt = rules.pattern_of(_names(personal))
    word = r"(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))"  # a name starts a word, or follows "%3F" or "%26"
    return re.compile(
        rf"{word}(?P<q1>\\*[\"']?)(?P<qname>(?i:{alt}))(?P=q1)[ \t]*[:=][ \t]*(?P<q2>\\*[\"'])"
        r"(?P<qvalue>(?:[^\"'\\\r\n]|\\/)*)(?P=q2)"
        rf"|{word}(?P<pname>(?i:{alt}))(?:=(?P<pvalue>[^&#\s\"'<>;,\\]*)"
        r"|%3[dD](?P<evalue>(?:[^&#\s\"'<>;,\\%]|%(?!2[63]|3[bB])[0-9A-Fa-f]{2})*))")


def keywords(personal: bool) -> tuple[str, ...]:
    return rules.KEYWORDS + (rules.PERSONAL_KEYWORDS if personal else ())


@lru_cache(maxsize=2)
def _keyword_pattern(personal: bool) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, keywords(personal))))


@lru_cache(maxsize=2)
def reach_back(personal: bool) -> int:
    """How far before a keyword a name (with its quotes) may start: ``subject-token`` starts 8
    characters before ``token``."""
    positions = [name.find(word) for name in _names(personal) for word in keywords(personal) if word in name]
    return max(positions, default=0) + _QUOTING


def name_matches(text: str, personal: bool) -> Iterator[re.Match[str]]:
    """The names next to their values in ``text``, left to right, not overlapping."""
    pattern, back = _name_pattern(personal), reach_back(personal)
    covered = 0
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ"): keep positions
        lower = text.translate(_ASCII_LOWER)
    for hit in _keyword_pattern(personal).finditer(lower):
        where = hit.start()
        if where < covered:
            continue
        for start in range(max(covered, where - back), where + 1):
            found = pattern.match(text, start)
            if found is not None:
                covered = found.end()
                yield found
                break
