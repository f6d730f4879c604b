import pytest

from inspector.core.errors import StorageError
from inspector.core.storage import sealed


@pytest.fixture
def key():
    return sealed.new_key()


def test_round_trip(key):
    assert sealed.unseal(key, sealed.seal(key, b"tokens", 1), "f") == b"tokens"


def test_key_is_256_random_bits_and_each_write_gets_a_fresh_nonce(key):
    assert len(key) == 32 and key != sealed.new_key()
    first, second = sealed.seal(key, b"same", 1), sealed.seal(key, b"same", 1)
    nonce = slice(25, 37)
    assert first[nonce] != second[nonce]
    assert first[37:] != second[37:]


def test_plaintext_is_not_in_the_sealed_blob(key):
    assert b"eyJhbGciOi" not in sealed.seal(key, b"eyJhbGciOiJSUzI1NiJ9.payload", 1)


def test_any_altered_byte_is_detected(key):
    blob = sealed.seal(key, b"x" * 64, 1)
    for position in range(9, len(blob)):  # key id, generation, nonce, ciphertext, tag (magic/version checked first)
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(StorageError):
            sealed.unseal(key, bytes(altered), "f")


def test_header_is_bound_as_associated_data(key):
    blob = bytearray(sealed.seal(key, b"x", 1))
    other = sealed.new_key()
    blob[9:17] = sealed.key_id(other)  # claim another key: the tag no longer matches for either
    with pytest.raises(StorageError, match="different key"):
        sealed.unseal(key, bytes(blob), "f")
    with pytest.raises(StorageError, match="damaged or was altered"):
        sealed.unseal(other, bytes(blob), "f")


def test_wrong_key_says_so(key):
    with pytest.raises(StorageError, match="different key than the one in your keyring"):
        sealed.unseal(sealed.new_key(), sealed.seal(key, b"x", 1), "The history file")


def test_newer_format_version_is_refused_clearly(key):
    blob = bytearray(sealed.seal(key, b"x", 1))
    blob[8] = sealed.FORMAT_VERSION + 1
    with pytest.raises(StorageError, match="newer Token Inspector") as caught:
        sealed.unseal(key, bytes(blob), "The history file")
    assert "Upgrade" in caught.value.hint


@pytest.mark.parametrize("blob", [b"", b"hello world, not a history file at all", sealed.MAGIC])
def test_foreign_or_truncated_files_are_refused(key, blob):
    with pytest.raises(StorageError, match="not a Token Inspector history file"):
        sealed.unseal(key, blob, "f")


def test_truncated_ciphertext_is_refused(key):
    blob = sealed.seal(key, b"x" * 100, 1)
    with pytest.raises(StorageError):
        sealed.unseal(key, blob[:-1], "f")


def test_the_generation_is_in_the_header_and_bound_as_associated_data(key):
    blob = sealed.seal(key, b"x", 41)
    assert sealed.read_header(blob, "f") == sealed.Header(sealed.FORMAT_VERSION, sealed.key_id(key), 41)
    lowered = bytearray(blob)
    lowered[17:25] = (40).to_bytes(8, "big")  # pass an old file off as newer, or the reverse: the tag fails
    with pytest.raises(StorageError, match="damaged or was altered"):
        sealed.unseal(key, bytes(lowered), "f")


def test_format_1_files_without_a_generation_are_still_read_as_generation_0(key):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = sealed.MAGIC + bytes([1]) + sealed.key_id(key)
    nonce = b"\x01" * sealed.NONCE_BYTES
    blob = header + nonce + AESGCM(key).encrypt(nonce, b"old tokens", header)
    assert sealed.read_header(blob, "f") == sealed.Header(1, sealed.key_id(key), 0)
    assert sealed.unseal(key, blob, "f") == b"old tokens"
