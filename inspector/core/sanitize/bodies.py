"""Request and response bodies as HAR 1.2 holds them (``postData``, ``content``), sanitized in
the encoding they came in.

- Text (``content.text`` without ``encoding``) is what the browser decoded: a response sent with
  ``Content-Encoding: gzip`` is already inflated there, so it is sanitized as text.
- ``encoding: "base64"`` is decoded; a textual type is sanitized in its charset and encoded
  again. Gzip data inside (tools other than browsers save compressed bytes) is inflated, bounded,
  sanitized and compressed again.
- Anything else (images, fonts, unknown types) is kept only if proven to hold none of the file's
  secrets: plain base64 by the output check (:mod:`needles` looks inside base64 text), inflated
  binary by :meth:`Bodies.check_inflated` once every secret is known. A body that cannot be
  read (bad base64, compression that does not inflate or is not gzip) cannot be proven clean and
  is replaced by a marker: safe by construction.

JSON is parsed only when the cheap look says it may hold something, and written again only when
something was removed, so untouched bodies keep their bytes.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import zlib
from typing import Any
from urllib.parse import quote, unquote_plus

from inspector.core.har.entries import charset, header, headers, mime_type
from inspector.core.sanitize import rules
from inspector.core.sanitize.needles import Finder
from inspector.core.sanitize.scrubber import Scrubber

__all__ = ["MAX_INFLATED", "Bodies", "replace_body"]

#: The most a compressed body may inflate to (a body of a recorded login is far smaller; more is a bomb).
MAX_INFLATED = 50_000_000
#: All the inflated binary bodies of one file kept until the final check: many small gzip bombs
#: under the per-body bound must not add up to gigabytes.
MAX_INFLATED_KEPT = 200_000_000
_TEXT_TYPES = ("text/", "json", "javascript", "ecmascript", "xml", "html", "x-www-form-urlencoded", "graphql",
               "jwt", "csv", "yaml")
#: Gzip's magic bytes (RFC 1952 §2.3.1: 1f 8b, then 08 for deflate) as base64 text begins.
_GZIP_BASE64 = "H4sI"
#: Content-Encodings (RFC 9110 §8.4.1) whose data cannot be inflated here.
_OPAQUE_CODINGS = ("br", "zstd", "compress")


def textual(mime: str) -> bool:
    return any(kind in mime for kind in _TEXT_TYPES)


def replace_body(holder: dict[str, Any], scrubber: Scrubber, reason: str) -> None:
    """The body of ``holder`` (a ``content`` or ``postData``) replaced by its marker, saying why."""
    text = holder.get("text")
    holder["text"] = scrubber.markers.mark(text if isinstance(text, str) else "")
    holder.pop("encoding", None)
    holder["comment"] = f"Body removed by token-inspector sanitize: {reason}."
    scrubber.counts["body"] += 1
    scrubber.total += 1


class Bodies:
    """The bodies of one file; ``inflated`` holds the binary bodies that were compressed, to be
    checked once every secret of the file is known."""

    def __init__(self, scrubber: Scrubber) -> None:
        self.scrubber = scrubber
        self.inflated: list[tuple[dict[str, Any], bytes]] = []
        self.inflated_size = 0

    def content(self, content: dict[str, Any], response_headers: Any) -> None:
        """A response's ``content``; ``response_headers`` are the HAR's list (for ``Content-Encoding``)."""
        text = content.get("text")
        if not isinstance(text, str) or not text:
            return
        mime = mime_type(content.get("mimeType"))
        if content.get("encoding") != "base64":
            content["text"] = self.text(text, mime)
            return
        coding = (header(headers(response_headers), "content-encoding") or "").strip().lower()
        self._base64(content, text, mime, coding)

    def post_data(self, post: dict[str, Any], raw_params: bool) -> None:
        """A request's ``postData``: its ``params`` (values URL-encoded unless ``raw_params``,
        as Firefox records them) and its ``text``."""
        params = post.get("params")
        if isinstance(params, list):
            for item in params:
                if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("value"), str):
                    item["value"] = self.param(item["name"], item["value"], raw_params)
        text = post.get("text")
        if isinstance(text, str) and text:
            mime = mime_type(post.get("mimeType"))
            if post.get("encoding") == "base64":
                self._base64(post, text, mime, "")
            else:
                post["text"] = self.text(text, mime)

    def text(self, text: str, mime: str) -> str:
        """A body as text: JSON by its structure, anything else by the text rules."""
        scrubber = self.scrubber
        if not scrubber.worth_a_look(text):
            return text
        if "json" in mime or text.lstrip()[:1] in ("{", "["):
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                return scrubber.text(text)
            before = scrubber.total
            cleaned = scrubber.json(value)
            return json.dumps(cleaned, ensure_ascii=False) if scrubber.total != before else text
        return scrubber.text(text)

    def check_inflated(self, finder: Finder) -> None:
        """Compressed binary bodies holding a secret of the file are replaced."""
        for holder, data in self.inflated:
            if finder.find(data):
                replace_body(holder, self.scrubber, "its compressed data holds a secret seen elsewhere in the file")
        self.inflated.clear()
        self.inflated_size = 0

    def param(self, name: str, value: str, raw: bool) -> str:
        """One ``postData.params`` or ``queryString`` value (URL-encoded unless ``raw``)."""
        decoded_name = name if raw else unquote_plus(name)
        kind = rules.kind_of(decoded_name, personal=self.scrubber.personal)
        if kind is None:
            return self.scrubber.text(value)
        replacement = str(self.scrubber.remove(decoded_name, value if raw else unquote_plus(value), kind))
        return replacement if raw else quote(replacement, safe="-._~")

    def _base64(self, holder: dict[str, Any], text: str, mime: str, coding: str) -> None:
        if mime and not textual(mime) and not text.startswith(_GZIP_BASE64) and not any(
                name in coding for name in _OPAQUE_CODINGS):
            return  # plain binary (an image, a font): the output check looks inside its base64
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            try:
                data = base64.b64decode("".join(text.split()), validate=True)
            except (binascii.Error, ValueError):
                replace_body(holder, self.scrubber, "its base64 does not decode, so it cannot be checked")
                return
        compressed = data[:2] == b"\x1f\x8b"
        if compressed:
            try:
                data = _gunzip(data)
            except (OSError, EOFError, zlib.error, ValueError):
                replace_body(holder, self.scrubber, "its gzip data does not inflate, so it cannot be checked")
                return
        decoded = _decoded(data, mime) if compressed or textual(mime) or not mime else None
        if decoded is None:
            if compressed and self.inflated_size + len(data) > MAX_INFLATED_KEPT:
                replace_body(holder, self.scrubber, "the file's compressed binary bodies inflate to more than can be "
                             "checked")
            elif compressed:
                self.inflated.append((holder, data))
                self.inflated_size += len(data)
            elif any(name in coding for name in _OPAQUE_CODINGS):
                replace_body(holder, self.scrubber, f"it is compressed ({coding}), so it cannot be checked")
            return  # plain binary: the output check looks inside its base64
        cleaned = self.text(decoded, mime)
        if cleaned == decoded:
            return
        encoded = cleaned.encode(charset(mime), "surrogatepass")
        if compressed:
            encoded = gzip.compress(encoded, mtime=0)
        holder["text"] = base64.b64encode(encoded).decode("ascii")


def _gunzip(data: bytes) -> bytes:
    """RFC 1952, bounded by ``MAX_INFLATED`` (ValueError beyond)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    inflated = inflater.decompress(data, MAX_INFLATED)
    if inflater.unconsumed_tail:
        raise ValueError("the body inflates beyond the limit")
    return inflated


def _decoded(data: bytes, mime: str) -> str | None:
    """``data`` as text in the charset of ``mime`` (UTF-8 by default); None when it is not text."""
    try:
        text = data.decode(charset(mime))
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text
