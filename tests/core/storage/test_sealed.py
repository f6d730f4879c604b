import pytest

from inspector.core.errors import StorageError
from inspector.core.storage import sealed


@pytest.fixture
def key():
    return sealed.new_key()


def test_round_trip(key):
    assert sealed.unseal(key, sealed.seal(key, b"tokens"), "f") == b"tokens"


def test_key_is_256_random_bits_and_each_write_gets_a_fresh_nonce(key):
    assert len(key) == 32 and key != sealed.new_key()
    first, second = sealed.seal(key, b"same"), sealed.seal(key, b"same")
    nonce = slice(17, 29)
    assert first[nonce] != second[nonce]
    assert first[29:] != second[29:]


def test_plaintext_is_not_in_the_sealed_blob(key):
    assert b"eyJhbGciOi" not in sealed.seal(key, b"eyJhbGciOiJSUzI1NiJ9.payload")


def test_any_altered_byte_is_detected(key):
    blob = sealed.seal(key, b"x" * 64)
    for position in range(9, len(blob)):  # key id, nonce, ciphertext, tag (magic/version checked first)
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(StorageError):
            sealed.unseal(key, bytes(altered), "f")


def test_header_is_bound_as_associated_data(key):
    blob = bytearray(sealed.seal(key, b"x"))
    other = sealed.new_key()
    blob[9:17] = sealed.key_id(other)  # claim another key: the tag no longer matches for either
    with pytest.raises(StorageError, match="different key"):
        sealed.unseal(key, bytes(blob), "f")
    with pytest.raises(StorageError, match="damaged or was altered"):
        sealed.unseal(other, bytes(blob), "f")


def test_wrong_key_says_so(key):
    with pytest.raises(StorageError, match="different key than the one in your keyring"):
        sealed.unseal(sealed.new_key(), sealed.seal(key, b"x"), "The history file")


def test_newer_format_version_is_refused_clearly(key):
    blob = bytearray(sealed.seal(key, b"x"))
    blob[8] = sealed.FORMAT_VERSION + 1
    with pytest.raises(StorageError, match="newer Token Inspector") as caught:
        sealed.unseal(key, bytes(blob), "The history file")
    assert "Upgrade" in caught.value.hint


@pytest.mark.parametrize("blob", [b"", b"hello world, not a history file at all", sealed.MAGIC])
def test_foreign_or_truncated_files_are_refused(key, blob):
    with pytest.raises(StorageError, match="not a Token Inspector history file"):
        sealed.unseal(key, blob, "f")


def test_truncated_ciphertext_is_refused(key):
    blob = sealed.seal(key, b"x" * 100)
    with pytest.raises(StorageError):
        sealed.unseal(key, blob[:-1], "f")
