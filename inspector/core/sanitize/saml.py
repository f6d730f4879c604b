"""SAML messages kept readable without their signatures (XML Signature §4.3, ``SignatureValue``).

A ``SAMLResponse`` or ``SAMLRequest`` parameter is base64 XML (HTTP-POST binding, SAML 2.0
Bindings §3.5.4) or base64 of raw DEFLATE XML (HTTP-Redirect binding, §3.4.4.1). Its
``SignatureValue`` elements become markers and it is encoded again the way it came; the
Redirect binding's detached ``Signature`` parameter is a secret by name (see :mod:`rules`). With
personal data masked, the ``NameID`` (often the person's email) goes too. A message that does not
decode is replaced whole.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.sanitize.scrubber import Scrubber

__all__ = ["MAX_INFLATED", "strip_message", "strip_signatures"]

#: The largest inflated message read (a SAML response is kilobytes; more is a decompression bomb).
MAX_INFLATED = 10_000_000
_ELEMENT = r"(<(?:[\w.-]+:)?{name}\b[^>]*>)(.*?)(</(?:[\w.-]+:)?{name}\s*>)"
_SIGNATURE = re.compile(_ELEMENT.format(name="SignatureValue"), re.DOTALL)
_NAME_ID = re.compile(_ELEMENT.format(name="NameID"), re.DOTALL)


def strip_message(value: str, scrubber: "Scrubber") -> str:
    """A ``SAMLResponse``/``SAMLRequest`` value without its signatures."""
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return scrubber.markers.mark(value)
    deflated = not data.lstrip().startswith(b"<")
    if deflated:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(data, MAX_INFLATED)
        except zlib.error:
            return scrubber.markers.mark(value)
        if inflater.unconsumed_tail or not data.lstrip().startswith(b"<"):
            return scrubber.markers.mark(value)
    try:
        xml = data.decode("utf-8")
    except UnicodeDecodeError:
        return scrubber.markers.mark(value)
    before = scrubber.total
    cleaned = strip_signatures(xml, scrubber).encode("utf-8")
    if scrubber.total == before:
        return value  # nothing signed (or masked) in it
    if deflated:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        cleaned = packer.compress(cleaned) + packer.flush()
    return base64.b64encode(cleaned).decode("ascii")


def strip_signatures(xml: str, scrubber: "Scrubber") -> str:
    """``xml`` with each ``SignatureValue`` (and, when personal data is masked, each ``NameID``)
    replaced by its marker."""
    xml = _SIGNATURE.sub(lambda found: _replace(found, "saml_signature", scrubber), xml)
    if scrubber.personal:
        xml = _NAME_ID.sub(lambda found: _replace(found, "saml_name_id", scrubber), xml)
    return xml


def _replace(found: re.Match[str], label: str, scrubber: "Scrubber") -> str:
    value = "".join(found.group(2).split())
    if not value:
        return found.group(0)
    marker = scrubber.markers.mark(value)
    if marker != value:
        scrubber.count(label, value, marker)
    return f"{found.group(1)}{marker}{found.group(3)}"
