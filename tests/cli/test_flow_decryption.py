"""`flow … --decrypt-key FILE` and a profile's decryption key: an encrypted ID token is decrypted
and verified; the history keeps it as issued, and its claims never reach a file in plaintext."""

import io
import json

import pytest

from inspector.cli import flow as flow_cli
from inspector.cli.main import build_parser
from inspector.core.errors import InspectorError
from inspector.core.flows.context import FlowEnvironment
from inspector.core.storage.profile_model import Profile
from tests.support.fake_provider import ISSUER
from tests.support.id_tokens import NOW, id_token, provider_with
from tests.support.jwe import encrypt, jwk_text, rsa_jwk
from tests.support.memory_keyring import MemoryKeyring
from tests.support.storage import memory_storage

RECIPIENT = dict(rsa_jwk(), kid="enc-1")
EMAIL = "hidden-ann@example.test"
TOKEN = encrypt(id_token(email=EMAIL).encode(), RECIPIENT, "RSA-OAEP-256", "A256GCM", kid="enc-1", cty="JWT")


@pytest.fixture
def storage(tmp_path):
    storage = memory_storage(tmp_path / "home", MemoryKeyring())
    storage.profiles.add(Profile(name="enc", issuer=ISSUER, client_id="app", auth_method="client_secret_basic",
                                 scopes=("openid",)),
                         secrets={"client_secret": "s", "decryption_key": jwk_text(RECIPIENT)})
    storage.profiles.add(Profile(name="plain", issuer=ISSUER, client_id="app", auth_method="client_secret_basic",
                                 scopes=("openid",)), secrets={"client_secret": "s"})
    return storage


def run(storage, *argv, as_json=True):
    out = io.StringIO()
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": TOKEN})
    args = build_parser("flow").parse_args(["refresh", "--refresh-token", "rt", *argv,
                                            *(["--json"] if as_json else [])])
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10)
    code = flow_cli.run(args, env=env, out=out, storage=storage)
    if not as_json:
        return code, out.getvalue()
    return code, {line["step"]: line for line in map(json.loads, out.getvalue().splitlines())}


def test_the_profiles_decryption_key_decrypts_the_id_token(storage):
    code, steps = run(storage, "--profile", "enc")
    assert code == 0, steps
    assert steps["id_token"]["decrypted"] is True and steps["id_token"]["claims"]["email"] == EMAIL


def test_decrypt_key_file_decrypts_without_a_profile(storage, tmp_path):
    key = tmp_path / "enc.jwk"
    key.write_text(jwk_text(RECIPIENT))
    code, steps = run(storage, "--issuer", ISSUER, "--client-id", "app", "--client-secret", "s", "--decrypt-key",
                      str(key))
    assert code == 0 and steps["id_token"]["valid"] is True


def test_the_history_keeps_the_token_as_issued_and_no_file_holds_its_claims_in_plaintext(storage, tmp_path):
    code, _ = run(storage, "--profile", "enc")
    assert code == 0
    flow, id_entry = [e for e in storage.history.entries() if e.kind in ("flow", "id")]
    assert storage.history.token(id_entry.id) == TOKEN
    assert flow.subject == "ann"  # read back from the sealed record
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert EMAIL.encode() not in path.read_bytes(), path


def test_without_a_key_the_text_output_says_what_to_give(storage):
    code, text = run(storage, "--profile", "plain", as_json=False)
    assert code == 1
    assert "decryption_key_missing" in text and "an RSA private key (alg RSA-OAEP-256, enc A256GCM" in text
    assert "--decrypt-key FILE (or the decryption key in profile 'plain')" in text
    assert EMAIL not in text


def test_a_decrypt_key_file_that_holds_no_private_key_is_a_usage_error(storage, tmp_path):
    public = tmp_path / "public.jwk"
    public.write_text(json.dumps({k: v for k, v in RECIPIENT.items() if k in ("kty", "n", "e", "kid")}))
    with pytest.raises(InspectorError, match="public key"):
        run(storage, "--profile", "enc", "--decrypt-key", str(public))
