"""Benchmark: decrypting encrypted tokens (JWE), run on demand:
``.venv/bin/python tests/benchmarks/bench_jwe.py [--runs N]``.

(a) In-process: ``decrypt()`` (header checks, the candidate keys, joserfc, then the content decoded
    as a token with its findings) against joserfc's ``decrypt_compact`` with the same key and a
    registry of the token's algorithms, plus the least reading of the content (PyJWT's unverified
    decode of a nested JWS, ``json.loads`` of claims). Two tokens: an RS256 ID token nested in
    RSA-OAEP-256 + A256GCM (2048-bit RSA), and claims encrypted with ECDH-ES + A256GCM (P-256).
    The keys are loaded once, outside the timing (as the GUI and ``--decrypt-key`` load them once).
(b) Whole process: ``token-inspector decode --json`` of that JWE without a key (only its header is
    readable; must load no crypto, tests/test_layers.py checks) and with ``--decrypt-key``, against
    the same command on a JWS, ``python -c`` importing joserfc and decrypting, and the bare
    interpreter start. Processes run with bytecode caches, as bench_jose.py's cold-start figures.

Medians over N rounds, interleaved (a busy machine weighs on every variant alike); ratios are the
median of the rounds' ratios.

Figures (2026-12-08, 2 cores, load average 4–5 from other jobs, 15 rounds; two passes whose
ratios agreed within 0.15 except where the first pass is shown; the second pass's medians):

    (a) RSA-OAEP-256+A256GCM, nested RS256 JWS:  decrypt() 451 µs   joserfc + read 413 µs   1.11×
        ECDH-ES+A256GCM, claims:                 decrypt() 219 µs   joserfc + read 159 µs   1.37×
    (b) decode --json JWE, no key            43.9 ms   0.35×
        decode --json JWE --decrypt-key     125.1 ms   0.99×
        decode --json JWS                    44.0 ms   0.35×
        python -c joserfc decrypt           126.2 ms   1.00×
        python -c pass                       22.2 ms   0.18×

The ~40–60 µs decrypt() adds is the same in both: the outer JWE parsed for its header findings
(joserfc parses it again), the candidate keys chosen, the content decoded as a token with its
findings; with RSA's private-key operation it is 10%, with ECDH-ES's cheaper agreement ~40%.
A JWE without a key decodes as fast as a JWS (no crypto or JOSE library imported); with a key the
process costs what importing joserfc and decrypting costs anyway.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.interleaved import compare, report  # noqa: E402

NOW = int(time.time())


def tokens() -> dict[str, tuple[str, dict]]:
    """name → (compact JWE, the private JWK it was encrypted for)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    from tests.support.jose import sign
    from tests.support.jwe import ec_jwk, encrypt, rsa_jwk

    claims = {"iss": "https://issuer.example", "sub": "248289761001", "aud": "web-app", "iat": NOW, "exp": NOW + 3600,
              "name": "Jane Doe", "email": "janedoe@example.com"}
    signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nested = sign(claims, signer, "RS256", kid="sig-1")
    return {
        "RSA-OAEP-256+A256GCM, nested RS256 JWS": (
            encrypt(nested, rsa_jwk(), "RSA-OAEP-256", "A256GCM", cty="JWT"), rsa_jwk()),
        "ECDH-ES+A256GCM, claims": (encrypt(claims, ec_jwk(), "ECDH-ES", "A256GCM"), ec_jwk()),
    }


def in_process_variants(token: str, jwk: dict) -> dict[str, Callable[[], object]]:
    import jwt
    from joserfc import jwe
    from joserfc.jwk import ECKey, RSAKey

    from inspector.core.jose.jwe import decrypt
    from inspector.core.jose.jwe_keys import load_decryption_keys
    from tests.support.jwe import jwk_text

    keys = load_decryption_keys(jwk_text(jwk))
    key = (RSAKey if jwk["kty"] == "RSA" else ECKey).import_key(jwk)
    header = json.loads(jwt.utils.base64url_decode(token.split(".")[0]))
    registry = jwe.JWERegistry(algorithms=[header["alg"], header["enc"]], strict_check_header=False)
    nested = header.get("cty") == "JWT"

    def ours() -> None:
        result = decrypt(token, keys)
        assert result.decrypted and result.token.claims["sub"] == "248289761001", result.findings

    def joserfc_direct() -> None:
        plaintext = jwe.decrypt_compact(token, key, registry=registry).plaintext
        claims = jwt.decode(plaintext, options={"verify_signature": False}) if nested else json.loads(plaintext)
        assert claims["sub"] == "248289761001"

    return {"decrypt()": ours, "joserfc decrypt_compact + read": joserfc_direct}


# The floor for a process that decrypts: import joserfc, load the key, decrypt, print the content.
RAW_DECRYPT = r"""
import json, sys
from joserfc import jwe
from joserfc.jwk import RSAKey
key = RSAKey.import_key(json.load(open(sys.argv[2])))
registry = jwe.JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])
print(jwe.decrypt_compact(sys.argv[1], key, registry=registry).plaintext.decode())
"""


def process_variants(token: str, key_file: str) -> dict[str, list[str]]:
    from tests.benchmarks.bench_jose import build_token, decode_command

    command = decode_command()
    return {
        "decode --json JWE, no key": [*command, "decode", "--json", token],
        "decode --json JWE --decrypt-key": [*command, "decode", "--json", "--decrypt-key", key_file, token],
        "decode --json JWS (bench_jose's figure)": [*command, "decode", "--json", build_token()[0]],
        "python -c joserfc decrypt": [sys.executable, "-c", RAW_DECRYPT, token, key_file],
        "python -c pass (interpreter start)": [sys.executable, "-c", "pass"],
    }


def bench_processes(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the OS caches, write the bytecode
        subprocess.run(command, stdout=subprocess.DEVNULL, cwd=ROOT, env=env, check=True)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, cwd=ROOT, env=env, check=True)
            samples[name].append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="samples per variant (default 15)")
    args = parser.parse_args()
    made = tokens()
    for name, (token, jwk) in made.items():
        report(f"(a) {name}, median per token", compare(in_process_variants(token, jwk), args.runs, 100),
               "joserfc decrypt_compact + read")
    token, jwk = made["RSA-OAEP-256+A256GCM, nested RS256 JWS"]
    with tempfile.TemporaryDirectory() as directory:
        key_file = Path(directory) / "key.jwk"
        key_file.write_text(json.dumps(jwk))
        key_file.chmod(0o600)
        samples = bench_processes(process_variants(token, str(key_file)), args.runs)
    report("(b) whole process, median wall time (RSA-OAEP-256 token)", samples, "python -c joserfc decrypt", "ms")


if __name__ == "__main__":
    main()
