"""Removing secrets from one value, text or JSON document, and remembering what was removed.

Three rules, in this order of precedence:

- by name (:mod:`rules`): a value under a secret's name, wherever a name stands next to a value
  (JSON members at any depth, parameters, form fields, ``<input name=… value=…>``, multipart
  parts, ``name: "value"`` and ``name=value`` in scripts, pages and URLs, ``Bearer``/``Basic``
  credentials, a URL's password);
- any JWT anywhere keeps its header and claims and loses its signature (:mod:`jwts`);
- by value: everything removed is kept in :attr:`Scrubber.removed` (value -> its replacement), so
  the caller can remove it wherever else it appears under no name (:mod:`needles`).

Text is looked at only when it contains ``eyJ``, a URL with ``@`` or one of the rules' keywords
(:data:`rules.KEYWORDS`): one lower-casing and a few substring searches, so the bulk of a
recording (scripts, style sheets, API answers) costs little more than reading it.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections import Counter
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

from inspector.core.sanitize import patterns, rules
from inspector.core.sanitize.markers import Markers, is_marker

__all__ = ["MIN_TEXT", "Scrubber", "encoded"]

#: Shorter text holds no name=value pair worth removing.
MIN_TEXT = 6
#: Short texts remembered by worth_a_look before it starts again (bounds its memory).
_LOOKED = 50_000
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")
_PLAIN_CHALLENGE = {"codechallenge": rules.VERIFIER}  # reached only where the method is plain


class Scrubber:
    """One file's removals: its markers, what was removed (counted by name, and each value with
    its replacement), and whether personal data goes too."""

    def __init__(self, markers: Markers | None = None, *, personal: bool = False) -> None:
        self.markers = markers or Markers()
        self.personal = personal
        self.counts: Counter[str] = Counter()
        #: Every value removed, with what replaced it: the by-value rule's needles.
        self.removed: dict[str, str] = {}
        self.total = 0
        self._keywords = patterns.keywords(personal)
        self._keyword = re.compile("|".join(map(re.escape, self._keywords)), re.IGNORECASE)
        self._looked: dict[str, bool] = {}  # short texts repeat (header values): each is looked at once

    # -- recording ----------------------------------------------------------------------------
    def note(self, value: str, replacement: str) -> None:
        """Remember ``value`` (removed, or found inside something removed) without counting it;
        not a value its replacement holds (a password "redacted" is in every marker)."""
        if value and not is_marker(value) and value not in replacement:
            self.removed.setdefault(value, replacement)

    def count(self, label: str, value: str, replacement: str) -> None:
        self.counts[label] += 1
        self.total += 1
        self.note(value, replacement)

    # -- by name ------------------------------------------------------------------------------
    def remove(self, name: str, value: Any, kind: str | None = None) -> Any:
        """``value`` found under ``name`` without its secret (kind from :mod:`rules` by default)."""
        kind = kind or rules.kind_of(name, personal=self.personal) or _PLAIN_CHALLENGE.get(rules.canonical(name))
        if kind is None or value is None or isinstance(value, bool) or value == "":
            return value
        if isinstance(value, list):
            return [self.remove(name, item, kind) for item in value]
        if isinstance(value, dict):
            if kind == rules.TOKEN:
                return self.json(value)  # a structure under "token": its members' own names decide
            value = json.dumps(value, sort_keys=True, ensure_ascii=False)
        elif not isinstance(value, str):
            value = json.dumps(value)
        if is_marker(value):
            return value
        if kind == rules.VERIFIER:
            replacement = self.markers.verifier(value)
        elif kind == rules.SAML:
            from inspector.core.sanitize.saml import strip_message

            replacement = strip_message(value, self)
        elif kind == rules.TOKEN:
            replacement = self.token(value)
        else:
            replacement = self.markers.mark(value)
        if replacement != value:  # a JWT whose signature is already a marker: nothing more to remove
            self.count(rules.label_of(name), value, replacement)
        return replacement

    def token(self, value: str) -> str:
        """A credential: a JWS without its signature, anything else (a JWE too) a marker."""
        from inspector.core.sanitize.jwts import strip

        stripped = strip(value, self) if value.startswith("eyJ") else None
        return stripped if stripped is not None else self.markers.mark(value)

    def credential(self, value: str, label: str) -> str:
        """An ``Authorization``-style value (RFC 9110 §11.6.2): the scheme kept, the credentials
        removed; Basic credentials' decoded ``id:secret`` and secret are remembered too."""
        scheme, space, rest = value.strip().partition(" ")
        if not space:
            return self.remove(label, value, rules.TOKEN)
        credentials = rest.strip()
        if scheme.lower() != "basic":
            return f"{scheme} {self.remove(label, credentials, rules.TOKEN)}"
        replacement = self.markers.mark(credentials)
        self.count(label, credentials, replacement)
        self._basic(credentials, replacement)
        return f"{scheme} {replacement}"

    def cookie_value(self, value: Any) -> Any:
        """A cookie's value (RFC 6265 §4.1.1), quotes kept."""
        if not isinstance(value, str) or not value.strip('"'):
            return value
        inner = value.strip('"')
        replacement = self.markers.mark(inner)
        if replacement != inner:
            self.count("cookie", inner, replacement)
        return value.replace(inner, replacement, 1)

    def cookie_header(self, value: str) -> str:
        """``Cookie: a=1; b=2`` with every value removed, names kept."""
        pieces = []
        for piece in value.split(";"):
            name, equals, cookie = piece.partition("=")
            pieces.append(f"{name}={self.cookie_value(cookie)}" if equals else piece)
        return ";".join(pieces)

    def set_cookie_header(self, value: str) -> str:
        """``Set-Cookie`` lines (browsers join several with newlines): each value removed,
        attributes kept."""
        lines = []
        for line in value.split("\n"):
            pair, semicolon, attributes = line.partition(";")
            name, equals, cookie = pair.partition("=")
            lines.append(f"{name}={self.cookie_value(cookie)}{semicolon}{attributes}" if equals else line)
        return "\n".join(lines)

    def _basic(self, credentials: str, replacement: str) -> None:
        """RFC 7617: base64 of ``id:secret``, each part form-encoded first (RFC 6749 §2.3.1)."""
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return
        user, colon, secret = decoded.partition(":")
        for value in (decoded, f"{unquote_plus(user)}:{unquote_plus(secret)}", secret, unquote_plus(secret)):
            if colon and value:
                self.note(value, replacement)

    # -- documents ----------------------------------------------------------------------------
    def json(self, value: Any, name: str | None = None) -> Any:
        """A JSON value with secrets removed at any depth; a JWK's private members go too."""
        if name is not None and (kind := rules.kind_of(name, personal=self.personal)) is not None:
            return self.remove(name, value, kind)
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            if value.get("code_challenge_method") == "plain" and "code_challenge" in value:
                value = {**value, "code_challenge": self.remove("code_challenge", value["code_challenge"])}
            if "kty" in value:
                return {key: self.remove(key, item, rules.SECRET) if key in rules.PRIVATE_JWK_MEMBERS
                        else self.json(item, key) for key, item in value.items()}
            return {key: self.json(item, key) for key, item in value.items()}
        if isinstance(value, list):
            return [self.json(item) for item in value]
        return value

    def worth_a_look(self, text: str) -> bool:
        """Whether ``text`` may hold anything to remove: a JWT, a URL with a password, or a
        keyword of some rule (one regular expression for short text, substring searches for long)."""
        if len(text) < MIN_TEXT:
            return False
        if "eyJ" in text or ("@" in text and "://" in text):
            return True
        if len(text) < 512:
            seen = self._looked.get(text)
            if seen is None:
                if len(self._looked) > _LOOKED:
                    self._looked.clear()
                seen = self._looked[text] = self._keyword.search(text) is not None
            return seen
        lower = text.lower()
        return any(word in lower for word in self._keywords)

    def text(self, text: str) -> str:
        """Free text (a URL, a header, a page, a script, a form) with its secrets removed."""
        if not self.worth_a_look(text):
            return text
        lower = text.lower()
        if "<input" in lower:
            text = patterns.INPUT.sub(self._input, text)
        if "content-disposition" in lower:
            text = patterns.MULTIPART.sub(self._part, text)
        if "signaturevalue" in lower or (self.personal and "nameid" in lower):
            from inspector.core.sanitize.saml import strip_signatures

            text = strip_signatures(text, self)
        text = self._names(text)
        if "bearer" in lower or "basic" in lower or "dpop" in lower:
            text = patterns.CREDENTIAL.sub(self._credential, text)
        if "eyJ" in text:
            text = patterns.JWT.sub(self._jwt, text)
        if "@" in text and "://" in text:
            text = patterns.USERINFO.sub(self._userinfo, text)
        return text

    def _names(self, text: str) -> str:
        pieces, last = [], 0
        for found in patterns.name_matches(text, self.personal):
            pieces += (text[last:found.start()], self._name(found))
            last = found.end()
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def _jwt(self, found: re.Match[str]) -> str:
        token = found.group(0)
        if not patterns.jwt_start(found.string, found.start()):
            return token
        return self.remove("jwt", token, rules.TOKEN if token.count(".") == 2 else rules.SECRET)

    def _userinfo(self, found: re.Match[str]) -> str:
        return f"://{found['user']}:{self.remove('password', unquote(found['password']), rules.SECRET)}@"

    def _credential(self, found: re.Match[str]) -> str:
        label = "dpop" if found["scheme"].lower() == "dpop" else "authorization"
        return self.credential(f"{found['scheme']} {found['credential']}", label).replace(" ", found["space"], 1)

    def _name(self, found: re.Match[str]) -> str:
        groups = found.groupdict()
        name = groups["qname"] or groups["pname"]
        if rules.canonical(name) == "codechallenge" and not patterns.PLAIN.search(found.string):
            return found.group(0)  # an S256 challenge is public
        if groups["qname"] is not None:
            value = groups["qvalue"].replace("\\/", "/")
            return _splice(found, "qvalue", self.remove(name, value))
        if groups["pvalue"] is not None:
            value = groups["pvalue"]
            decoded = unquote_plus(value) if "%" in value or "+" in value else value
            return _splice(found, "pvalue", encoded(self.remove(name, decoded), value != decoded))
        # inside a percent-encoded URL: one level deeper
        replacement = self.remove(name, unquote_plus(unquote(groups["evalue"])))
        return _splice(found, "evalue", encoded(encoded(replacement, True), True))

    def _input(self, found: re.Match[str]) -> str:
        """``<input name="code" value="…">`` (a form_post page, a sign-in form): its value removed."""
        tag = found.group(0)
        attributes = {match.group(1).lower(): match for match in patterns.ATTRIBUTE.finditer(tag)}
        name_attr, value_attr = attributes.get("name"), attributes.get("value")
        if name_attr is None or value_attr is None:
            return tag
        name = html.unescape(name_attr.group(2).strip("\"'"))
        if rules.kind_of(name, personal=self.personal) is None:
            return tag
        quoted = value_attr.group(2)
        value = html.unescape(quoted[1:-1] if quoted[:1] in "\"'" else quoted)
        replacement = html.escape(str(self.remove(name, value)), quote=True)
        return f"{tag[:value_attr.start(2)]}\"{replacement}\"{tag[value_attr.end(2):]}"

    def _part(self, found: re.Match[str]) -> str:
        """A ``multipart/form-data`` part (RFC 7578 §4.2) named like a secret: its value removed."""
        if rules.kind_of(found.group("name"), personal=self.personal) is None:
            return found.group(0)
        return _splice(found, "value", str(self.remove(found.group("name"), found.group("value"))))


def _splice(found: re.Match[str], group: str, replacement: str) -> str:
    """The match with ``group`` replaced."""
    whole, start = found.group(0), found.start()
    return f"{whole[:found.start(group) - start]}{replacement}{whole[found.end(group) - start:]}"


def encoded(value: Any, encode: bool) -> str:
    """A replacement for a percent-encoded place: markers and stripped JWTs need no encoding."""
    text = str(value)
    return quote(text, safe="") if encode and not _UNRESERVED.fullmatch(text) else text
