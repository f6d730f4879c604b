"""The Linux bundle, from its unpacked tarball: the CLI, the GUI, the keyring and TLS trust inside
it, and only the Qt it needs. Built once per session by `bash packaging/build-bundle.sh`."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from pathlib import Path

import pytest

from inspector import __version__
from tests.packaging.conftest import ROOT, SLOW, child_env
from tests.support.jose import sign
from tests.support.keys import HS256_SECRET, public_jwk, rsa_private
from tests.support.secret_service import running_secret_service
from tests.support.tls_server import TlsProvider
from tests.support.token_endpoint import TokenEndpoint

pytestmark = SLOW

CLAIMS = {"iss": "https://idp.example", "sub": "bundle-user", "aud": "web", "exp": 1_900_000_000, "iat": 1_700_000_000}


def run(executable: Path, *args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(executable), *args], input=stdin, capture_output=True, text=True, timeout=120,
                            env=child_env(**env), cwd=executable.parent.parent)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_bundle_prints_its_version(executable):
    result = run(executable, "--version")
    assert (result.returncode, result.stdout) == (0, f"token-inspector {__version__}\n")


def test_the_bundle_decodes_a_token(executable):
    token = sign(CLAIMS, HS256_SECRET, "HS256")
    result = run(executable, "decode", "-", "--json", stdin=token)
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    assert decoded["header"]["alg"] == "HS256" and decoded["claims"]["sub"] == "bundle-user"


def test_the_bundle_decrypts_an_encrypted_token_with_its_own_jose_library(executable, tmp_path):
    """joserfc is imported only when a JWE is decrypted: the bundle must carry it all the same."""
    vector = json.loads((ROOT / "tests" / "data" / "rfc7520_jwe.json").read_text(encoding="utf-8"))["rfc7520_5_2"]
    key = tmp_path / "enc.json"
    key.write_text(json.dumps(vector["key"]))
    result = run(executable, "decode", "-", "--decrypt-key", str(key), "--json", stdin=vector["compact"])
    assert result.returncode == 0, result.stdout + result.stderr
    decrypted = json.loads(result.stdout)
    assert decrypted["decrypted"] is True and decrypted["jwe_header"]["alg"] == "RSA-OAEP"
    assert [f["code"] for f in decrypted["findings"]] == ["decrypted", "jwe_content_not_claims"]


def test_the_bundle_verifies_signatures_with_its_own_cryptography(executable, tmp_path):
    key = rsa_private()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public_jwk(key, kid="rsa-1", alg="RS256")]}))
    token = sign(CLAIMS, key, "RS256", kid="rsa-1")
    good = run(executable, "verify", "-", "--jwks", str(jwks), "--aud", "web", "--json", stdin=token)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "signature_valid" in [finding["code"] for finding in json.loads(good.stdout)["findings"]]
    forged = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    bad = run(executable, "verify", "-", "--jwks", str(jwks), "--json", stdin=forged)
    assert bad.returncode == 1 and "bad_signature" in bad.stdout
    hmac = run(executable, "verify", sign(CLAIMS, HS256_SECRET, "HS256"), "--secret", HS256_SECRET.decode())
    assert hmac.returncode == 0, hmac.stdout + hmac.stderr


def test_the_bundled_gui_opens_its_window_then_quits(executable, tmp_path):
    result = run(executable, TOKEN_INSPECTOR_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen",
                 TOKEN_INSPECTOR_EXIT_AFTER_PAINT="1")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["painted", "ready", "idle"]
    # Qt prints a plugin it could not load, a missing library or a font problem on stderr.
    assert [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line] == []


@pytest.mark.keyring_integration
def test_the_bundled_keyring_backend_keeps_a_client_secret_in_the_real_secret_service(executable, tmp_path):
    """No PYTHON_KEYRING_BACKEND: keyring must find its Secret Service backend through the entry
    points in the metadata the bundle carries, as on a user's desktop."""
    import secretstorage

    secret = "bundle-Client-Secret-81c7"
    with running_secret_service(tmp_path / "keyring") as env, TokenEndpoint() as endpoint:
        env = {key: value for key, value in env.items() if key in ("XDG_DATA_HOME", "XDG_RUNTIME_DIR")}
        env["TOKEN_INSPECTOR_HOME"] = str(tmp_path / "home")
        added = run(executable, "profile", "add", "work", "--token-endpoint", endpoint.url, "--client-id", "svc",
                    "--client-secret-stdin", stdin=secret, **env)
        assert added.returncode == 0, added.stderr
        flow = run(executable, "flow", "client-credentials", "--profile", "work", "--no-history", "--json", **env)
        assert flow.returncode == 0, flow.stdout + flow.stderr
        with secretstorage.dbus_init() as connection:
            stored = [item.get_secret() for item in
                      secretstorage.get_default_collection(connection).search_items({"service": "token-inspector"})]
    assert endpoint.authorizations == ["Basic " + base64.b64encode(f"svc:{secret}".encode()).decode()]
    assert secret.encode() in stored
    assert secret not in (tmp_path / "home" / "config" / "profiles.json").read_text()


def test_the_bundle_trusts_what_the_system_trust_store_trusts(executable, tmp_path):
    """truststore with the bundled OpenSSL: the CA file the system points at (here SSL_CERT_FILE)
    is what decides, not paths baked into the build machine's OpenSSL."""
    with TlsProvider(tmp_path) as server:
        untrusted = run(executable, "discover", server.issuer, "--json", "--timeout", "10")
        trusted = run(executable, "discover", server.issuer, "--json", "--timeout", "10",
                      SSL_CERT_FILE=str(server.cert_path))
    assert untrusted.returncode == 1 and "tls_error" in untrusted.stdout
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert json.loads(trusted.stdout)["metadata"]["issuer"] == server.issuer


def test_the_bundle_carries_only_the_qt_it_uses(unpacked):
    app = unpacked / "token-inspector"
    names = [path.name for path in app.rglob("*")]
    for unwanted in ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Pdf", "Qt6Network", "libgtk-3", "libqgtk3"):
        assert not [name for name in names if unwanted in name], unwanted
    assert not [name for name in names if name.endswith(".qm")], "Qt translations: the app ships none"
    for wanted in ("libQt6Widgets.so.6", "libqxcb.so", "libqwayland.so", "libqoffscreen.so"):
        assert wanted in names
    # Help ▸ About reads these versions, and keyring its backends, from package metadata.
    for distribution in ("keyring", "PyJWT", "joserfc", "cryptography", "httpx", "token_inspector"):
        assert [name for name in names if name.lower().startswith(distribution.lower() + "-")
                and name.endswith(".dist-info")], distribution
