"""After saving profiles with secrets, a history of tokens and a flow's record, no secret or token
byte sequence (raw, base64/hex-encoded, or any distinctive chunk) is in any file under config, data
or logs; nor is a secret a flow sent, or its refresh token, in the flow's record even decrypted.
A client certificate's key (mutual TLS) is kept likewise, and loading it into a TLS context leaves
no file behind, nor writes it in plaintext."""

import base64
import json
import logging
import os
import re
import threading
from urllib.parse import parse_qs, urlencode
from urllib.request import urlopen

import httpx
import pytest

from inspector.core.storage.profile_model import Profile
from inspector.core.storage.vault import SERVICE
from tests.support.fake_provider import FakeProvider
from tests.support.memory_keyring import MemoryKeyring
from tests.support.storage import fake_jwt, memory_storage, run_cli

CLIENT_SECRET = "Zq8-client-SECRET-7hJk2mN4pQ9rS1tV"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n"
#: A decryption key as a private JWK: its private members must never reach a file.
DECRYPTION_KEY = ('{"kty": "oct", "kid": "enc-Distinctive-1", '
                  '"k": "Xk7pQ2mZ9vR4tL1wY8sD3fH6jN0bC5gA2eK9uP4xW7o"}')
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


@pytest.fixture(scope="module")
def client_certificate(tmp_path_factory):
    from tests.support.mtls import issue

    return issue("mtls-client")


def test_no_secret_or_token_reaches_any_file(tmp_path, logged, client_certificate, monkeypatch):
    import tempfile

    from inspector.core.flows.context import FlowContext, FlowEnvironment, FlowObserver
    from inspector.core.flows.model import Flow
    from inspector.core.flows.settings import FlowSettings

    keyring = MemoryKeyring()
    storage = memory_storage(tmp_path, keyring)
    client_key = client_certificate.key_pem.decode("ascii")
    storage.profiles.add(
        Profile(name="work", issuer="https://idp.example", client_id="web", auth_method="private_key_jwt",
                client_cert=client_certificate.cert_pem.decode("ascii")),
        secrets={"client_secret": CLIENT_SECRET, "private_key": PRIVATE_KEY, "decryption_key": DECRYPTION_KEY,
                 "client_key": client_key},
    )
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "config"))  # where the one-time key file is made
    settings = FlowSettings(issuer="https://idp.example", client_cert_pem=client_certificate.cert_pem,
                            client_key_pem=client_certificate.key_pem)
    context = FlowContext(Flow(grant="client_credentials", steps=[]), settings, FlowEnvironment(), FlowObserver())
    assert context.client.client_certificate is not None
    context.close()
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
    secrets = [CLIENT_SECRET, PRIVATE_KEY.splitlines()[1], DECRYPTION_KEY, "Xk7pQ2mZ9vR4tL1wY8sD3fH6jN0bC5gA2eK9uP4xW7o",
               *saved, SUBJECT, "nonce-Distinct-99", "api-Distinct-1"]
    # the key's PEM holds its public key too, which the certificate (public, in profiles.json) shows
    certificate = b"".join(client_certificate.cert_pem.splitlines())
    scalar = f"{client_certificate.key.private_numbers().private_value:064x}"
    key_needles = {n for n in needles([*client_key.splitlines()[1:-1], scalar]) if n not in certificate}
    assert len(key_needles) > 20
    for needle in needles(secrets) | key_needles:
        for path, content in everything.items():
            assert needle not in content, f"{needle[:12]!r}… found in {path}"

    # Tokens never go into keyring entries (size limits): only the secrets, the 32-byte key and the
    # generation last written (key id and a number, for rollback detection).
    stored = {name: value for (service, name), value in keyring.entries.items() if service == SERVICE}
    assert sorted(stored) == ["history-generation", "history-key", "profile/prod/client_key",
                              "profile/prod/client_secret", "profile/prod/decryption_key", "profile/prod/private_key"]
    assert stored["profile/prod/decryption_key"] == DECRYPTION_KEY
    assert stored["profile/prod/client_key"] == client_key
    assert len(base64.b64decode(stored["history-key"])) == 32
    assert re.fullmatch(r"[0-9a-f]{16}:[0-9]+", stored["history-generation"])


CODE = "code-Distinctive-5f8a2c91d7"
FLOW_REFRESH = "refresh-Distinctive-" + os.urandom(16).hex()


def echoing_token_endpoint(request):
    """A token endpoint (or a proxy before it) that quotes back everything it was sent."""
    form = {name: values[0] for name, values in parse_qs(request.content.decode()).items()}
    return httpx.Response(200, json={"access_token": "at-" + os.urandom(20).hex(), "token_type": "Bearer",
                                     "refresh_token": FLOW_REFRESH, "expires_in": 300, "echo": form,
                                     "note": f"you sent {form['code_verifier']} with {form['client_secret']}"})


def run_saved_auth_code(storage):
    """An auth code flow with a client secret and PKCE, saved as the CLI and GUI save it."""
    from inspector.core.flows.context import FlowEnvironment, FlowObserver
    from inspector.core.flows.runner import FlowRunner
    from inspector.core.flows.settings import FlowSettings
    from inspector.core.storage.flow_link import flow_saver, token_recorder

    provider = FakeProvider()
    provider.on("/token", echoing_token_endpoint)
    visits = []

    def browser(url):
        params = dict(httpx.URL(url).params)
        reply = {"code": CODE, "state": params["state"], "iss": provider.issuer}
        callback = f"{params['redirect_uri']}?{urlencode(reply)}"  # urllib: the test's own visit is not logged
        visits.append(threading.Thread(target=lambda: urlopen(callback, timeout=5).close()))
        visits[-1].start()
        return True

    class Saving(FlowObserver):
        token_obtained = staticmethod(lambda flow, step, response: token_recorder(storage.history)(flow, step, response))
        flow_finished = staticmethod(flow_saver(storage.history, profile="prod", issuer=provider.issuer))

    settings = FlowSettings(issuer=provider.issuer, client_id="web", client_secret=CLIENT_SECRET,
                            auth_method="client_secret_post", scope="api offline_access", timeout=10)
    flow = FlowRunner("auth_code", settings, FlowEnvironment(transport=provider.transport(), open_browser=browser),
                      Saving()).run_all()
    for visit in visits:
        visit.join(10)
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    return provider.form()["code_verifier"]


def test_a_saved_flow_keeps_no_client_secret_refresh_token_or_code_verifier(tmp_path, logged):
    storage = memory_storage(tmp_path, MemoryKeyring())
    verifier = run_saved_auth_code(storage)
    [flow] = storage.history.search("", kind="flow")
    assert flow.status == "ok" and storage.history.entries()[0].id == flow.id
    secrets = [CLIENT_SECRET, verifier, FLOW_REFRESH, CODE]
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    stored = json.dumps(storage.history.flow_record(flow.id).lines, ensure_ascii=False).encode()
    for needle in needles(secrets):
        for path, content in [*files.items(), ("the decrypted record", stored)]:
            assert needle not in content, f"{needle[:12]!r}… found in {path}"
    assert "you sent ••••••" in stored.decode()


def test_a_kept_dpop_key_reaches_no_file_neither_from_the_profile_nor_from_the_history(tmp_path, logged):
    from inspector.core.jose.dpop_key import DpopKey
    from inspector.core.storage.history import NewToken

    keyring = MemoryKeyring()
    storage = memory_storage(tmp_path, keyring)
    storage.profiles.add(Profile(name="dp", issuer="https://idp.example", dpop=True))
    run_cli(storage, "profile", "edit", "dp", "--dpop-keep-key")
    run_cli(storage, "profile", "export", "-o", str(tmp_path / "config" / "export.json"))
    flow_key = DpopKey.generate().to_private_jwk()
    storage.history.add_many([NewToken("at-bound-" + os.urandom(16).hex(), "access", "auth_code", "dp",
                                       dpop_key=flow_key)])
    private_parts = [json.loads(key)["d"] for key in (keyring.entries[(SERVICE, "profile/dp/dpop_key")], flow_key)]
    everything = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for needle in needles(private_parts):
        for path, content in everything.items():
            assert needle not in content, f"{needle[:12]!r}… found in {path}"
