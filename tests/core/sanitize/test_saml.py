"""SAML messages keep their XML and lose their signatures, in the binding they came in."""

import base64
import zlib

from inspector.core.sanitize.markers import Markers, is_marker
from inspector.core.sanitize.saml import MAX_INFLATED, strip_message
from inspector.core.sanitize.scrubber import Scrubber

KEY = b"k" * 32
SIGNATURE = base64.b64encode(bytes(range(200))).decode()
RESPONSE = (f'<samlp:Response ID="r1"><ds:Signature><ds:SignatureValue>\n{SIGNATURE[:60]}\n{SIGNATURE[60:]}\n'
            f'</ds:SignatureValue></ds:Signature><saml:NameID>jane@example.com</saml:NameID></samlp:Response>')


def deflated(text: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(packer.compress(text.encode()) + packer.flush()).decode()


def test_the_post_bindings_signature_becomes_a_marker():
    scrubber = Scrubber(Markers(KEY))
    xml = base64.b64decode(strip_message(base64.b64encode(RESPONSE.encode()).decode(), scrubber)).decode()
    assert SIGNATURE[:60] not in xml and f"<ds:SignatureValue>{Markers(KEY).mark(SIGNATURE)}</ds:SignatureValue>" in xml
    assert "<saml:NameID>jane@example.com</saml:NameID>" in xml and scrubber.counts == {"saml_signature": 1}
    assert scrubber.removed[SIGNATURE] == Markers(KEY).mark(SIGNATURE)


def test_the_redirect_binding_is_inflated_and_deflated_again():
    cleaned = strip_message(deflated(RESPONSE), Scrubber(Markers(KEY)))
    xml = zlib.decompress(base64.b64decode(cleaned), -15).decode()
    assert SIGNATURE[:60] not in xml and "SignatureValue" in xml


def test_the_name_id_when_personal_data_is_masked():
    xml = base64.b64decode(strip_message(base64.b64encode(RESPONSE.encode()).decode(),
                                         Scrubber(Markers(KEY), personal=True))).decode()
    assert "jane@example.com" not in xml


def test_an_unsigned_message_is_kept_as_it_came():
    message = base64.b64encode(b'<samlp:AuthnRequest ID="q1"/>').decode()
    assert strip_message(message, Scrubber(Markers(KEY))) == message


def test_what_does_not_decode_is_replaced_whole():
    for value in ("not base64!", base64.b64encode(b"\x00\x01garbage").decode(),
                  base64.b64encode(zlib.compress(b"x" * (MAX_INFLATED + 10))[2:]).decode()):
        assert is_marker(strip_message(value, Scrubber(Markers(KEY))))
