"""``decode`` and ``verify`` with ``--decrypt-key FILE``: decrypted claims marked as such with both
headers; a failed decryption or refused RSA1_5 is exit 1 with a finding and no plaintext; a key
file that cannot be used is exit 2."""

import json
from pathlib import Path

import pytest

from inspector.cli.main import main
from tests.support.jose import sign
from tests.support.jwe import encrypt, jwk_for, jwk_text
from tests.support.keys import private_pem, public_pem, rsa_private

CLAIMS = {"iss": "https://issuer.example", "sub": "alice-Secretive-7731", "aud": "web", "exp": 4_000_000_000}
VECTORS = json.loads((Path(__file__).parents[1] / "data" / "rfc7520_jwe.json").read_text(encoding="utf-8"))


@pytest.fixture
def key_file(tmp_path):
    def write(text, name="key.json"):
        path = tmp_path / name
        path.write_text(text if isinstance(text, str) else text.decode())
        return str(path)
    return write


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def nested(kid="enc-1", index=0):
    jws = sign(CLAIMS, private_pem(rsa_private(0)), "RS256", kid="sig-1")
    return encrypt(jws, jwk_for("RSA-OAEP-256", "A256GCM", index), "RSA-OAEP-256", "A256GCM", cty="JWT", kid=kid)


def test_decode_json_has_both_headers_and_the_decrypted_marker(capsys, key_file):
    path = key_file(jwk_text({**jwk_for("RSA-OAEP-256", "A256GCM"), "kid": "enc-1"}))
    code, out, _ = run(capsys, "decode", nested(), "--decrypt-key", path, "--json")
    data = json.loads(out)
    assert code == 0 and data["decrypted"] is True and data["format"] == "jws" and data["claims"] == CLAIMS
    assert data["header"]["alg"] == "RS256" and data["jwe_header"] == {"alg": "RSA-OAEP-256", "enc": "A256GCM",
                                                                      "cty": "JWT", "kid": "enc-1"}


def test_decode_text_shows_the_jwe_header_then_the_inner_header_and_claims(capsys, key_file):
    path = key_file(private_pem(rsa_private(9)), "key.pem")
    token = encrypt(CLAIMS, {"kty": "RSA", **_public_jwk_of(rsa_private(9))}, "RSA-OAEP", "A128GCM")
    code, out, _ = run(capsys, "decode", token, "--decrypt-key", path)
    assert code == 0 and out.startswith("Encrypted JWT (JWE), decrypted: content without a signature inside")
    assert "JWE header (encryption)" in out and "alice-Secretive-7731" in out


def test_a_jwe_without_a_key_shows_its_header_and_which_key_would_decrypt_it(capsys):
    code, out, _ = run(capsys, "decode", nested())
    assert code == 0 and "Payload: encrypted" in out
    assert "an RSA private key (alg RSA-OAEP-256, enc A256GCM, kid 'enc-1')" in out and "--decrypt-key FILE" in out
    code, out, _ = run(capsys, "decode", nested(), "--json")
    assert json.loads(out)["decrypted"] is False and json.loads(out)["header"]["enc"] == "A256GCM"


@pytest.mark.parametrize("command", ["decode", "verify"])
def test_a_wrong_key_is_exit_1_with_a_finding_and_no_plaintext(capsys, key_file, command):
    path = key_file(jwk_text({**jwk_for("RSA-OAEP-256", "A256GCM"), "kid": "enc-1"}))
    code, out, _ = run(capsys, command, nested(index=1), "--decrypt-key", path)
    assert code == 1 and "jwe_wrong_key" in out and "alice-Secretive" not in out
    code, out, _ = run(capsys, command, nested(index=1), "--decrypt-key", path, "--json")
    data = json.loads(out)
    assert code == 1 and data["decrypted"] is False and data["claims"] is None
    assert [f["code"] for f in data["findings"]] == ["jwe_wrong_key"] and "alice-Secretive" not in out


@pytest.mark.parametrize("command", ["decode", "verify"])
def test_rsa1_5_is_refused_with_exit_1(capsys, key_file, command):
    vector = VECTORS["rfc7520_5_1"]
    code, out, _ = run(capsys, command, vector["compact"], "--decrypt-key", key_file(jwk_text(vector["key"])), "--json")
    data = json.loads(out)
    assert code == 1 and [f["code"] for f in data["findings"]] == ["jwe_alg_refused"] and data["claims"] is None
    assert vector["plaintext"][:20] not in out


@pytest.mark.parametrize(("content", "message"), [(None, "not a file"), ("not a key", "not a decryption key"),
                                                  (public_pem(rsa_private(0)), "no private key")])
def test_an_unusable_key_file_is_a_usage_error(capsys, key_file, tmp_path, content, message):
    path = str(tmp_path / "missing.json") if content is None else key_file(content)
    code, _, err = run(capsys, "decode", nested(), "--decrypt-key", path)
    assert code == 2 and message in err and "Traceback" not in err


def test_verify_decrypts_then_verifies_the_inner_jws(capsys, key_file):
    path = key_file(jwk_text({**jwk_for("RSA-OAEP-256", "A256GCM"), "kid": "enc-1"}))
    pem = key_file(public_pem(rsa_private(0)), "sig.pem")
    code, out, _ = run(capsys, "verify", nested(), "--decrypt-key", path, "--key", pem, "--aud", "web", "--json")
    data = json.loads(out)
    assert code == 0 and data["valid"] and data["decrypted"] is True and data["jwe_header"]["kid"] == "enc-1"
    assert [f["code"] for f in data["findings"]] == ["decrypted", "signature_valid"]
    code, out, _ = run(capsys, "verify", nested(), "--decrypt-key", path, "--key", pem)
    assert code == 0 and out.startswith("Encrypted JWT (JWE), decrypted") and "VALID: Signature valid" in out


def test_verify_of_a_jwe_without_a_key_says_how_to_decrypt_it(capsys):
    code, out, _ = run(capsys, "verify", nested(), "--secret", "s" * 32)
    assert code == 1 and "encrypted" in out and "--decrypt-key FILE" in out


def test_a_decrypt_key_for_a_signed_token_is_noted_as_not_needed(capsys, key_file):
    path = key_file(jwk_text(jwk_for("A128KW", "A128GCM")))
    code, out, _ = run(capsys, "decode", sign(CLAIMS, b"k" * 32, "HS256"), "--decrypt-key", path, "--json")
    assert code == 0 and [f["code"] for f in json.loads(out)["findings"]] == ["not_encrypted"]


def _public_jwk_of(private):
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return {"n": jwk["n"], "e": jwk["e"]}
