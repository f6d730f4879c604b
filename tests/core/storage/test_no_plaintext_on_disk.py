"""After saving profiles with secrets and a history of tokens, no secret or token byte sequence
(raw, base64/hex-encoded, or any distinctive chunk) is in any file under config, data or logs."""

import base64
import logging
import os
import re

import pytest

from inspector.core.storage.profile_model import Profile
from inspector.core.storage.vault import SERVICE
from tests.support.memory_keyring import MemoryKeyring
from tests.support.storage import fake_jwt, memory_storage, run_cli

CLIENT_SECRET = "Zq8-client-SECRET-7hJk2mN4pQ9rS1tV"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n"
SUBJECT = "subject-Distinctive-48213"


def tokens():
    access = fake_jwt({"iss": "https://tokens.example", "sub": SUBJECT, "aud": "api-Distinct-1", "exp": 1_900_000_000},
                      {"alg": "RS256", "typ": "at+jwt"}, signature=os.urandom(256))  # fmt: skip
    id_token = fake_jwt({"iss": "https://tokens.example", "sub": SUBJECT, "nonce": "nonce-Distinct-99"},
                        signature=os.urandom(64))  # fmt: skip
    return [access, id_token, "refresh-" + os.urandom(24).hex(), base64.urlsafe_b64encode(os.urandom(30)).decode()]


def encodings(value: str) -> set[bytes]:
    raw = value.encode("utf-8")
    forms = {raw, value.encode("utf-16-le"), raw.hex().encode(), base64.b64encode(raw), base64.urlsafe_b64encode(raw)}
    forms |= {form.rstrip(b"=") for form in forms}
    return forms


def chunks(value: str, size: int = 16) -> set[bytes]:
    """Every distinctive 16-character window, and every JWS segment, of a secret or token."""
    raw = value.encode("utf-8")
    windows = {raw[i : i + size] for i in range(0, max(1, len(raw) - size + 1), 4)}
    return windows | {part.encode() for part in value.split(".") if len(part) >= 8}


def needles(secrets: list[str]) -> set[bytes]:
    found: set[bytes] = set()
    for secret in secrets:
        found |= encodings(secret) | chunks(secret)
    return {needle for needle in found if len(needle) >= 8}


@pytest.fixture
def logged(tmp_path):
    """Every log record of the app, at DEBUG, written where the app's logs go."""
    log_file = tmp_path / "logs" / "token-inspector.log"
    log_file.parent.mkdir(parents=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield log_file
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


def test_no_secret_or_token_reaches_any_file(tmp_path, logged):
    keyring = MemoryKeyring()
    storage = memory_storage(tmp_path, keyring)
    storage.profiles.add(
        Profile(name="work", issuer="https://idp.example", client_id="web", auth_method="private_key_jwt"),
        secrets={"client_secret": CLIENT_SECRET, "private_key": PRIVATE_KEY},
    )
    run_cli(storage, "profile", "edit", "work", "--rename", "prod", "--notes", "renamed")
    run_cli(storage, "profile", "export", "-o", str(tmp_path / "config" / "export.json"))
    saved = tokens()
    for token in saved:
        storage.history.add(token, source="authorization_code", profile="prod")
    storage.history.delete(storage.history.entries()[0].id)
    storage.history.add(saved[-1])
    storage.history.set_max_entries(10)
    logging.getLogger("inspector").debug("a log line so the log file is not empty")

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.parent.name for p in files} >= {"config", "data", "logs"}
    everything = {p: p.read_bytes() for p in files}
    secrets = [CLIENT_SECRET, PRIVATE_KEY.splitlines()[1], *saved, SUBJECT, "nonce-Distinct-99", "api-Distinct-1"]
    for needle in needles(secrets):
        for path, content in everything.items():
            assert needle not in content, f"{needle[:12]!r}… found in {path}"

    # Tokens never go into keyring entries (size limits): only the secrets, the 32-byte key and the
    # generation last written (key id and a number, for rollback detection).
    stored = {name: value for (service, name), value in keyring.entries.items() if service == SERVICE}
    assert sorted(stored) == ["history-generation", "history-key", "profile/prod/client_secret",
                              "profile/prod/private_key"]
    assert len(base64.b64decode(stored["history-key"])) == 32
    assert re.fullmatch(r"[0-9a-f]{16}:[0-9]+", stored["history-generation"])
