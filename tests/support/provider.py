"""The real OpenID Provider (npm oidc-provider) as a subprocess on loopback, for e2e tests.

Clients are defined here and handed to tests/e2e/provider/server.mjs, so tests and provider
agree on ids and secrets. Start waits for the server's "READY <issuer>" line, never sleeps.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

if TYPE_CHECKING:
    from tests.support.mtls import TestPki

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "e2e" / "provider"
NATIVE_REDIRECT = "http://127.0.0.1/callback"  # any port is accepted for native clients
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
START_TIMEOUT = 30.0
#: The test resource server (RFC 8707 indicator, and the ``aud`` of its JWT access tokens, RFC 9068).
TEST_API = "urn:token-inspector:test-api"
TEST_API_SCOPE = "api:read"
#: Its access tokens are JWTs for these clients by default (any client may send resource=TEST_API).
JWT_ACCESS_TOKEN_CLIENTS = ("dpop-jwt-client",)
#: Clients whose DPoP proofs at the token and PAR endpoints must carry the provider's nonce.
DPOP_NONCE_CLIENTS = ("dpop-nonce-client",)
#: Its ID tokens are encrypted (RSA-OAEP-256, A256GCM) and its userinfo answers signed (ES256) then
#: encrypted (ECDH-ES, A128CBC-HS256), to the keys in ``TestProvider.decryption_key_path``.
ENCRYPTED_CLIENT = "encrypted-client"
#: With mutual TLS (``start_provider(mtls=...)``): a PKI-certificate client and a self-signed one,
#: both given certificate-bound tokens; the self-signed one's are JWTs for TEST_API by default.
MTLS_CLIENT, SELF_SIGNED_CLIENT = "mtls-client", "self-signed-mtls-client"


def _client(client_id: str, auth_method: str, **extra: object) -> dict[str, object]:
    metadata: dict[str, object] = {
        "client_id": client_id,
        "application_type": "native",
        "token_endpoint_auth_method": auth_method,
        "redirect_uris": [NATIVE_REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    }
    metadata.update(extra)
    return metadata


@dataclass
class TestProvider:
    issuer: str
    key_pem_path: Path
    secrets: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    #: A JWK Set with the private keys :data:`ENCRYPTED_CLIENT`'s tokens are encrypted to.
    decryption_key_path: Path | None = None
    #: The test PKI when the provider is served over HTTPS with mutual TLS.
    pki: "TestPki | None" = None

    def rotate_keys(self) -> None:
        """New signing keys first, the earlier ones still published after them (each call makes new ones)."""
        httpx.post(f"{self.issuer}/__test__/rotate-keys", timeout=5).raise_for_status()

    def expire_device_code(self, device_code: str) -> None:
        """End ``device_code``'s lifetime now, as if nobody had approved it in time."""
        httpx.post(f"{self.issuer}/__test__/expire-device-code", data={"device_code": device_code},
                   timeout=5).raise_for_status()


def _signing_key(directory: Path) -> tuple[Path, dict[str, object]]:
    private = ec.generate_private_key(ec.SECP256R1())
    path = directory / "jwt-client-key.pem"
    path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(private.public_key()))
    public.update(kid="jwt-client-key-1", use="sig", alg="ES256")
    return path, public


def _without(jwk: dict[str, object], *names: str) -> dict[str, object]:
    return {name: value for name, value in jwk.items() if name not in names}


def _encryption_keys(directory: Path) -> tuple[Path, dict[str, object]]:
    """The client's encryption key pairs: private ones in a JWK Set file, public ones to register."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    # PyJWT marks its JWKs key_ops ["sign"]; these keys are for decryption only (use "enc").
    private = [{**_without(json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key)), "key_ops"), "kid": "enc-rsa-1",
                "use": "enc"},
               {**_without(json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key)), "key_ops"), "kid": "enc-ec-1",
                "use": "enc"}]
    path = directory / "encrypted-client-keys.json"
    path.write_text(json.dumps({"keys": private}))
    public = [_without(jwk, "d", "p", "q", "dp", "dq", "qi") for jwk in private]
    return path, {"keys": public}


def _mtls_clients(pki: "TestPki") -> list[dict[str, object]]:
    """RFC 8705 clients: one known by its certificate's subject (issued by the test CA), one by its
    self-signed certificate in its JWKS (x5c)."""
    import base64

    from cryptography.hazmat.primitives import serialization

    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(pki.self_signed.key.public_key()))
    public["x5c"] = [base64.b64encode(pki.self_signed.cert.public_bytes(serialization.Encoding.DER)).decode()]
    bound = {"tls_client_certificate_bound_access_tokens": True}
    return [
        _client(MTLS_CLIENT, "tls_client_auth", tls_client_auth_subject_dn=pki.client.subject, scope="openid api:read",
                grant_types=["authorization_code", "refresh_token", "client_credentials"], **bound),
        _client(SELF_SIGNED_CLIENT, "self_signed_tls_client_auth", jwks={"keys": [public]}, scope="api:read",
                grant_types=["client_credentials"], response_types=[], redirect_uris=[], **bound),
    ]


def start_provider(directory: Path, *, slow_down_on_poll: int = 2, require_par: bool = False,
                   dpop_nonce: bool | None = None, mtls: "TestPki | None" = None) -> TestProvider:
    """``require_par``: PAR is the provider's policy for every client (RFC 9126 §5, in the metadata).
    ``dpop_nonce``: True makes every DPoP request need the provider's nonce (RFC 9449 §8), False
    none; None (the default) only :data:`DPOP_NONCE_CLIENTS`' at the token and PAR endpoints.
    ``mtls``: serve HTTPS with this PKI's server certificate, asking for client certificates, with
    the mutual TLS clients added (see server.mjs)."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("the e2e provider needs Node and `npm ci` in tests/e2e/provider "
                           "(bash packaging/bootstrap.sh test does both)")
    key_path, public_jwk = _signing_key(directory)
    decryption_key_path, encryption_jwks = _encryption_keys(directory)
    secrets = {"basic-client": "basic-secret-0123456789", "post-client": "post-secret-0123456789",
               "service-client": "service-secret-0123456789",
               "secret-jwt-client": "secret-jwt-client-secret-of-48-bytes-0123456789",
               "par-required-client": "par-required-secret-0123456789",
               "dpop-jwt-client": "dpop-jwt-secret-0123456789",
               ENCRYPTED_CLIENT: "encrypted-client-secret-0123456789"}
    clients = [
        _client("basic-client", "client_secret_basic", client_secret=secrets["basic-client"],
                id_token_signed_response_alg="ES256"),
        _client("post-client", "client_secret_post", client_secret=secrets["post-client"]),
        _client("public-client", "none", grant_types=["authorization_code", "refresh_token", DEVICE_GRANT]),
        _client("jwt-client", "private_key_jwt", jwks={"keys": [public_jwk]},
                token_endpoint_auth_signing_alg="ES256",
                grant_types=["authorization_code", "refresh_token", JWT_BEARER_GRANT]),
        _client("secret-jwt-client", "client_secret_jwt", client_secret=secrets["secret-jwt-client"],
                token_endpoint_auth_signing_alg="HS256"),
        _client("service-client", "client_secret_basic", client_secret=secrets["service-client"],
                grant_types=["client_credentials", TOKEN_EXCHANGE_GRANT], response_types=[], redirect_uris=[],
                scope="api:read"),
        _client("par-required-client", "client_secret_basic", client_secret=secrets["par-required-client"],
                require_pushed_authorization_requests=True),
        _client("dpop-client", "none", dpop_bound_access_tokens=True),
        _client("dpop-nonce-client", "none", dpop_bound_access_tokens=True),
        _client("dpop-jwt-client", "client_secret_basic", client_secret=secrets["dpop-jwt-client"],
                dpop_bound_access_tokens=True),
        _client(ENCRYPTED_CLIENT, "client_secret_basic", client_secret=secrets[ENCRYPTED_CLIENT], jwks=encryption_jwks,
                id_token_encrypted_response_alg="RSA-OAEP-256", id_token_encrypted_response_enc="A256GCM",
                userinfo_signed_response_alg="ES256", userinfo_encrypted_response_alg="ECDH-ES",
                userinfo_encrypted_response_enc="A128CBC-HS256"),
    ]
    jwt_clients = list(JWT_ACCESS_TOKEN_CLIENTS)
    tls = None
    if mtls is not None:
        clients += _mtls_clients(mtls)
        jwt_clients.append(SELF_SIGNED_CLIENT)
        tls = {"cert": str(mtls.server_cert_path), "key": str(mtls.server_key_path), "ca": str(mtls.ca_path)}
    config = directory / "provider.json"
    config.write_text(json.dumps({
        "tls": tls,
        "port": 0, "clients": clients, "slowDownOnPoll": slow_down_on_poll,
        "requirePushedAuthorizationRequests": require_par,
        "dpopNonce": list(DPOP_NONCE_CLIENTS) if dpop_nonce is None else dpop_nonce,
        "resource": {"indicator": TEST_API, "scope": TEST_API_SCOPE, "clients": jwt_clients},
    }))
    log = open(directory / "provider.log", "wb")
    process = subprocess.Popen([node, str(PROVIDER_DIR / "server.mjs"), str(config)], cwd=PROVIDER_DIR,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                               env={**os.environ, "NODE_ENV": "test"})
    log.close()
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline().decode()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    line = ready[0] if ready else ""
    if not line.startswith("READY "):
        process.kill()
        process.wait()
        raise RuntimeError(f"the provider did not start: {(directory / 'provider.log').read_text()[-2000:]}")
    return TestProvider(line.split()[1], key_path, secrets, process, decryption_key_path, mtls)


def stop_provider(provider: TestProvider) -> None:
    """Closing stdin asks the server to stop (it also stops by itself if this process dies);
    SIGTERM, then SIGKILL, only if it does not."""
    process = provider.process
    if process is None:
        return
    process.stdin.close()
    for escalate in (process.terminate, process.kill, None):
        try:
            process.wait(5)
            break
        except subprocess.TimeoutExpired:
            if escalate is None:
                raise
            escalate()
    process.stdout.close()
