"""JWE decryption: the RFC 7520 examples, every offered alg × enc, key choice, and each failure as
a finding with no plaintext (wrong key, altered or cut parts, refused and unknown algorithms, a
decompression bomb)."""

import json
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.errors import MalformedTokenError
from inspector.core.jose.b64 import b64url_decode, b64url_encode
from inspector.core.jose.jwe import CONTENT_ALGORITHMS, KEY_ALGORITHMS, decrypt, needed_key
from inspector.core.jose.jwe_content import zip_limit
from inspector.core.jose.jwe_keys import load_decryption_keys
from inspector.core.jose.keys import load_key_text
from inspector.core.jose.verify import Expectations, verify
from tests.support.jose import segment, sign
from tests.support.jwe import ALGORITHMS, ENCRYPTIONS, encrypt, jwk_for, jwk_text, rsa_jwk
from tests.support.keys import private_pem, public_pem, rsa_private

VECTORS = json.loads((Path(__file__).parents[2] / "data" / "rfc7520_jwe.json").read_text(encoding="utf-8"))
CLAIMS = {"iss": "https://issuer.example", "sub": "alice", "aud": "web", "exp": 4_000_000_000}


def keys_of(*jwks):
    return load_decryption_keys(jwk_text(*jwks))


def codes(result, severity="error"):
    return [f.code for f in result.all_findings if f.severity.value == severity]


def with_segment(token, index, value):
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


def flipped(text):
    """``text`` with its first character changed (still base64url)."""
    return ("B" if text[0] == "A" else "A") + text[1:]


def test_the_supported_lists_are_the_issues_lists():
    assert tuple(KEY_ALGORITHMS) == ALGORITHMS and CONTENT_ALGORITHMS == ENCRYPTIONS


@pytest.mark.parametrize("name", ["rfc7520_5_2", "rfc7520_5_4", "rfc7520_5_5", "rfc7520_5_6", "rfc7520_5_8",
                                  "rfc7520_5_9"])
def test_rfc7520_examples_decrypt(name):
    vector = VECTORS[name]
    result = decrypt(vector["compact"], keys_of(vector["key"]))
    assert result.decrypted and result.token.payload.decode() == vector["plaintext"]
    assert result.token.jwe_header["alg"] == vector["alg"] and result.key.kid == vector["key"]["kid"]
    assert not codes(result)


def test_rfc7520_rsa1_5_example_is_refused_by_default_and_shows_nothing():
    vector = VECTORS["rfc7520_5_1"]
    result = decrypt(vector["compact"], keys_of(vector["key"]))
    assert codes(result) == ["jwe_alg_refused"] and result.token is None
    assert "Bleichenbacher" in result.findings[0].message


def test_rfc7520_rsa1_5_example_decrypts_only_when_explicitly_allowed():
    vector = VECTORS["rfc7520_5_1"]
    result = decrypt(vector["compact"], keys_of(vector["key"]), allow_rsa1_5=True)
    assert result.token.payload.decode() == vector["plaintext"] and "jwe_alg_weak" in codes(result, "warning")


@pytest.mark.parametrize("name", ["rfc7520_5_3", "rfc7520_5_7"])
def test_rfc7520_pbes2_and_aes_gcm_key_wrap_are_unsupported(name):
    vector = VECTORS[name]
    result = decrypt(vector["compact"], keys_of(jwk_for("A256KW", "A128GCM")))
    assert codes(result) == ["jwe_alg_unsupported"] and vector["alg"] in result.findings[0].message


@pytest.mark.parametrize("enc", ENCRYPTIONS)
@pytest.mark.parametrize("alg", ALGORITHMS)
def test_every_offered_algorithm_round_trips(alg, enc):
    jwk = jwk_for(alg, enc)
    result = decrypt(encrypt(CLAIMS, jwk, alg, enc), keys_of(jwk))
    assert result.decrypted and result.token.claims == CLAIMS and result.token.decrypted
    assert result.token.format == "jwe" and result.token.jwe_header == {"alg": alg, "enc": enc, **(
        {"epk": result.token.jwe_header["epk"]} if alg.startswith("ECDH") else {})}


@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256", "A128KW", "A256KW", "ECDH-ES+A128KW"])
def test_a_wrong_key_cannot_unwrap_the_content_key(alg):
    token = encrypt(CLAIMS, jwk_for(alg, "A256GCM"), alg, "A256GCM")
    result = decrypt(token, keys_of(jwk_for(alg, "A256GCM", index=1)))
    assert codes(result) == ["jwe_wrong_key"] and result.token is None


@pytest.mark.parametrize("alg", ["dir", "ECDH-ES"])
def test_a_wrong_key_with_a_direct_algorithm_is_a_tag_mismatch_that_says_both_causes(alg):
    token = encrypt(CLAIMS, jwk_for(alg, "A128GCM"), alg, "A128GCM")
    result = decrypt(token, keys_of(jwk_for(alg, "A128GCM", index=1)))
    assert codes(result) == ["jwe_tag_mismatch"] and "not the key" in result.findings[0].message
    assert result.token is None


@pytest.mark.parametrize("enc", ["A256GCM", "A128CBC-HS256"])
@pytest.mark.parametrize("index", [2, 3, 4], ids=["iv", "ciphertext", "tag"])
def test_an_altered_iv_ciphertext_or_tag_is_a_tag_mismatch_with_no_plaintext(index, enc):
    jwk = jwk_for("RSA-OAEP-256", enc)
    token = encrypt(CLAIMS, jwk, "RSA-OAEP-256", enc)
    parts = token.split(".")
    result = decrypt(with_segment(token, index, flipped(parts[index])), keys_of(jwk))
    assert codes(result) in (["jwe_tag_mismatch"], ["jwe_malformed"]) and result.token is None


def test_an_altered_protected_header_fails_the_tag():
    jwk = jwk_for("A128KW", "A128GCM")
    token = encrypt(CLAIMS, jwk, "A128KW", "A128GCM", typ="JWT")
    altered = with_segment(token, 0, segment({"alg": "A128KW", "enc": "A128GCM", "typ": "JWS"}))
    assert codes(decrypt(altered, keys_of(jwk))) == ["jwe_tag_mismatch"]


@pytest.mark.parametrize("index", [1, 2, 3, 4], ids=["encrypted_key", "iv", "ciphertext", "tag"])
def test_a_part_cut_short_is_a_finding_not_a_traceback(index):
    jwk = jwk_for("RSA-OAEP", "A128CBC-HS256")
    token = encrypt(CLAIMS, jwk, "RSA-OAEP", "A128CBC-HS256")
    part = token.split(".")[index]
    for cut in (part[: len(part) // 2 // 4 * 4], ""):
        result = decrypt(with_segment(token, index, cut), keys_of(jwk))
        assert result.token is None and codes(result), (index, cut)


def test_bad_base64_is_the_decoders_finding_and_nothing_is_tried():
    jwk = jwk_for("A128KW", "A128GCM")
    token = encrypt(CLAIMS, jwk, "A128KW", "A128GCM")
    result = decrypt(with_segment(token, 3, token.split(".")[3] + "="), keys_of(jwk))
    assert codes(result) == ["malformed"] and result.findings[0].part == "ciphertext" and result.token is None


def test_a_real_decompression_bomb_is_refused():
    jwk = jwk_for("dir", "A256GCM")
    bomb = b'{"pad":"' + b"0" * (64 * 1024 * 1024) + b'"}'  # 64 MiB that deflate to some 64 KiB
    token = encrypt(bomb, jwk, "dir", "A256GCM", zip="DEF")
    assert len(token) < 100_000
    result = decrypt(token, keys_of(jwk))
    assert codes(result) == ["jwe_too_large"] and result.token is None and "bomb" in result.findings[-1].message


def test_compressed_content_up_to_the_limit_decrypts_and_at_the_limit_is_refused():
    jwk = jwk_for("dir", "A256GCM")
    small = {"sub": "alice", "pad": "x" * 10_000}
    result = decrypt(encrypt(small, jwk, "dir", "A256GCM", zip="DEF"), keys_of(jwk))
    assert result.token.claims == small and codes(result, "warning") == ["jwe_compressed"]
    exact = b"y" * zip_limit()  # inflating stops here: whether more would follow cannot be told
    assert codes(decrypt(encrypt(exact, jwk, "dir", "A256GCM", zip="DEF"), keys_of(jwk))) == ["jwe_too_large"]


def test_the_kid_chooses_the_key_in_a_jwks():
    first, second = jwk_for("RSA-OAEP", "A128GCM"), jwk_for("RSA-OAEP", "A128GCM", index=1)
    token = encrypt(CLAIMS, second, "RSA-OAEP", "A128GCM", kid="enc-2")
    keys = keys_of({**first, "kid": "enc-1"}, {**second, "kid": "enc-2"})
    result = decrypt(token, keys)
    assert result.key.kid == "enc-2" and result.token.claims == CLAIMS
    assert codes(decrypt(encrypt(CLAIMS, second, "RSA-OAEP", "A128GCM", kid="enc-9"), keys)) == ["key_not_found"]


def test_without_a_kid_each_suitable_key_is_tried():
    first, second = jwk_for("A256KW", "A128GCM"), jwk_for("A256KW", "A128GCM", index=1)
    token = encrypt(CLAIMS, second, "A256KW", "A128GCM")
    keys = keys_of(jwk_for("RSA-OAEP", "A128GCM"), first, second)
    assert decrypt(token, keys).key.size == 256 and decrypt(token, keys).token.claims == CLAIMS


def test_the_tokens_own_jwk_and_jku_are_never_used():
    attacker = jwk_for("RSA-OAEP", "A128GCM", index=1)
    public = {k: v for k, v in attacker.items() if k in ("kty", "n", "e")}
    token = encrypt(CLAIMS, attacker, "RSA-OAEP", "A128GCM", jwk=public, jku="https://attacker.example/jwks")
    result = decrypt(token, keys_of(jwk_for("RSA-OAEP", "A128GCM")))
    assert result.token is None and codes(result) == ["jwe_wrong_key"]
    assert codes(result, "warning") == ["header_key_ignored", "header_key_ignored"]


def test_a_key_of_the_wrong_type_or_size_is_a_key_mismatch():
    token = encrypt(CLAIMS, jwk_for("RSA-OAEP", "A128GCM"), "RSA-OAEP", "A128GCM")
    result = decrypt(token, keys_of(jwk_for("A128KW", "A128GCM")))
    assert codes(result) == ["key_mismatch"] and "an RSA private key" in result.findings[0].message
    wrapped = encrypt(CLAIMS, jwk_for("A256KW", "A128GCM"), "A256KW", "A128GCM")
    assert codes(decrypt(wrapped, keys_of(jwk_for("A128KW", "A128GCM")))) == ["key_mismatch"]


def test_a_key_for_signing_only_may_not_decrypt():
    jwk = rsa_jwk(0)
    token = encrypt(CLAIMS, jwk, "RSA-OAEP", "A128GCM")
    result = decrypt(token, keys_of({**jwk, "use": "sig"}))
    assert codes(result) == ["key_mismatch"] and "restricted" in result.findings[0].message


def test_no_key_says_which_key_is_needed():
    token = encrypt(CLAIMS, jwk_for("ECDH-ES", "A128GCM"), "ECDH-ES", "A128GCM", kid="enc-ec")
    result = decrypt(token, [])
    assert codes(result) == ["key_not_found"]
    assert "an EC private key on P-256 (alg ECDH-ES, enc A128GCM, kid 'enc-ec')" in result.findings[0].message


def test_needed_key_words_each_kind():
    assert needed_key({"alg": "dir", "enc": "A128CBC-HS256"}) == "a 256-bit shared (oct) key (alg dir, enc A128CBC-HS256)"
    assert needed_key({"alg": "A192KW", "enc": "A128GCM"}).startswith("a 192-bit shared (oct) key")
    assert needed_key({"alg": "RSA1_5"}).startswith("an RSA private key")
    assert needed_key({}) == "the recipient's private key"


@pytest.mark.parametrize("header", [{"alg": "RSA-OAEP"}, {"enc": "A128GCM"}, {"alg": 5, "enc": "A128GCM"}])
def test_a_header_without_alg_or_enc_is_malformed(header):
    token = f"{segment(header)}.{segment(b'k')}.{segment(b'iv')}.{segment(b'ct')}.{segment(b'tag')}"
    assert codes(decrypt(token, keys_of(jwk_for("RSA-OAEP", "A128GCM")))) == ["jwe_malformed"]


@pytest.mark.parametrize(("extra", "code"), [({"enc": "A512GCM"}, "jwe_alg_unsupported"),
                                             ({"zip": "GZIP"}, "jwe_alg_unsupported"),
                                             ({"crit": ["exp"]}, "crit_unsupported")])
def test_unknown_enc_zip_or_crit_are_refused(extra, code):
    header = {"alg": "dir", "enc": "A128GCM", **extra}
    token = f"{segment(header)}..{segment(b'iv')}.{segment(b'ct')}.{segment(b'tag')}"
    assert code in codes(decrypt(token, keys_of(jwk_for("dir", "A128GCM"))))


def test_a_nested_jws_is_decoded_with_both_headers_and_verifies_as_usual():
    signer = rsa_private(0)
    jws = sign(CLAIMS, private_pem(signer), "RS256", kid="sig-1")
    jwk = jwk_for("RSA-OAEP-256", "A256GCM")
    result = decrypt(encrypt(jws, jwk, "RSA-OAEP-256", "A256GCM", cty="JWT"), keys_of(jwk))
    inner = result.token
    assert inner.format == "jws" and inner.decrypted and inner.raw == jws
    assert inner.header == {"alg": "RS256", "kid": "sig-1", "typ": "JWT"}
    assert inner.jwe_header == {"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"}
    report = verify(inner, load_key_text(public_pem(signer).decode()), Expectations(audiences=("web",)), now=0)
    assert report.valid and report.to_json()["decrypted"] is True
    assert report.to_json()["jwe_header"]["alg"] == "RSA-OAEP-256"


def test_content_that_reads_as_a_jws_is_nested_even_without_cty():
    jws = sign(CLAIMS, b"k" * 32, "HS256")
    jwk = jwk_for("A128KW", "A128GCM")
    assert decrypt(encrypt(jws, jwk, "A128KW", "A128GCM"), keys_of(jwk)).token.format == "jws"


def test_cty_jwt_around_something_else_is_a_finding():
    jwk = jwk_for("A128KW", "A128GCM")
    result = decrypt(encrypt(CLAIMS, jwk, "A128KW", "A128GCM", cty="JWT"), keys_of(jwk))
    assert codes(result) == ["jwe_content_malformed"] and result.token.claims == CLAIMS


def test_an_encrypted_but_unsigned_jwt_is_readable_but_never_valid():
    jwk = jwk_for("A128KW", "A128GCM")
    result = decrypt(encrypt(CLAIMS, jwk, "A128KW", "A128GCM"), keys_of(jwk))
    report = verify(result.token, [], Expectations(issuer="https://issuer.example"), now=0)
    assert not report.valid and [f.code for f in report.findings if f.severity.value == "error"] == ["not_signed"]
    assert report.checked == ("times", "issuer")


def test_the_json_marks_the_result_decrypted_with_the_jwe_header():
    jwk = jwk_for("A128KW", "A128GCM")
    token = encrypt(CLAIMS, jwk, "A128KW", "A128GCM", kid="k")
    data = decrypt(token, keys_of({**jwk, "kid": "k"})).to_json()
    assert data["decrypted"] is True and data["jwe_header"]["kid"] == "k" and data["claims"] == CLAIMS
    assert data["key"] == {"kid": "k", "kty": "oct"} and data["findings"][0]["code"] == "decrypted"
    failed = decrypt(token, keys_of({**jwk_for("A128KW", "A128GCM", index=1), "kid": "k"})).to_json()
    assert failed["decrypted"] is False and failed["claims"] is None and failed["header"] == failed["jwe_header"]


def test_a_signed_token_is_not_something_to_decrypt():
    with pytest.raises(MalformedTokenError, match="not encrypted"):
        decrypt(sign(CLAIMS, b"k" * 32, "HS256"), [])


_PARTS = st.one_of(st.binary(max_size=48).map(b64url_encode), st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(header=st.dictionaries(st.sampled_from(["alg", "enc", "zip", "kid", "cty", "epk", "crit", "jwk"]),
                              st.sampled_from([*ALGORITHMS, *ENCRYPTIONS, "RSA1_5", "DEF", "JWT", 7, None, {},
                                               {"kty": "EC", "crv": "P-256"}, ["x"]]), max_size=5),
       rest=st.lists(_PARTS, min_size=4, max_size=4))
def test_decrypting_arbitrary_five_part_input_gives_findings_never_an_exception_or_plaintext(header, rest):
    token = ".".join([segment(header), *rest])
    try:
        result = decrypt(token, keys_of(jwk_for("dir", "A128GCM"), jwk_for("A128KW", "A128GCM"),
                                        jwk_for("RSA-OAEP", "A128GCM"), jwk_for("ECDH-ES", "A128GCM")))
    except MalformedTokenError:
        return  # nothing readable: the decoder's own refusal
    assert result.token is None and codes(result)


def test_decompressing_by_hand_shows_the_bomb_is_real():
    """The bomb above is what it claims: its compressed content inflates far past the limit."""
    compressed = zlib.compress(b"0" * (64 * 1024 * 1024))[2:-4]
    assert len(compressed) < 80_000 and len(zlib.decompress(compressed, -15)) > 100 * zip_limit()
    assert b64url_decode(b64url_encode(compressed)) == compressed
