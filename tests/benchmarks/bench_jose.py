"""JOSE benchmarks, run on demand: ``.venv/bin/python tests/benchmarks/bench_jose.py [--runs N]``.

(a) In-process: ``verify()`` of an RS256 ID token with every OpenID Connect check (iss, aud,
    client_id/azp, nonce, at_hash, c_hash, time claims) against PyJWT's ``jwt.decode`` of the same
    token with the same key and audience/issuer checks. Target: ratio <= 1.5.
(b) Whole process: ``token-inspector decode --json TOKEN`` against a bare ``python -c`` that imports
    PyJWT and decodes the same token unverified. Target: ratio <= 0.6.

Medians over many runs, interleaved so machine noise hits both sides alike. The processes run
as installed software does: with bytecode caches (PYTHONDONTWRITEBYTECODE is removed from their
environment, as PyJWT's own modules were compiled at install time); ``--no-bytecode`` keeps it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

NOW = int(time.time())
CLIENT_ID, NONCE, ACCESS_TOKEN, CODE = "web-app", "n-0S6_WzA2Mj", "SlAV32hkKG" * 4, "Qcb0Orv1zh30vL1MPRsbm"


def build_token():
    from cryptography.hazmat.primitives.asymmetric import rsa

    from inspector.core.jose.claim_checks import left_half_hash
    from inspector.core.jose.keys import load_jwk
    from tests.support.jose import sign
    from tests.support.keys import public_jwk

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = {
        "iss": "https://issuer.example", "sub": "248289761001", "aud": CLIENT_ID, "azp": CLIENT_ID,
        "nonce": NONCE, "iat": NOW - 30, "exp": NOW + 3600, "auth_time": NOW - 60, "name": "Jane Doe",
        "email": "janedoe@example.com", "email_verified": True,
        "at_hash": left_half_hash(ACCESS_TOKEN, "RS256"), "c_hash": left_half_hash(CODE, "RS256"),
    }
    token = sign(claims, private, "RS256", kid="k1")
    return token, private.public_key(), load_jwk(public_jwk(private, kid="k1", use="sig", alg="RS256"))


def timed(function: Callable[[], object], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        function()
    return (time.perf_counter() - start) / loops


def bench_in_process(runs: int) -> tuple[float, float]:
    import jwt

    from inspector.core.jose.verify import Expectations, verify

    token, public_key, key = build_token()
    expect = Expectations(issuer="https://issuer.example", audiences=(CLIENT_ID,), client_id=CLIENT_ID, nonce=NONCE,
                          algorithms=("RS256",), access_token=ACCESS_TOKEN, code=CODE)

    def ours() -> None:
        report = verify(token, [key], expect, now=NOW)
        assert report.valid, report.findings

    def pyjwt() -> None:
        jwt.decode(token, public_key, algorithms=["RS256"], audience=CLIENT_ID, issuer="https://issuer.example")

    loops = 200
    ours_times, pyjwt_times = [], []
    for _ in range(runs):
        ours_times.append(timed(ours, loops))
        pyjwt_times.append(timed(pyjwt, loops))
    return statistics.median(ours_times), statistics.median(pyjwt_times)


def decode_command() -> list[str]:
    """The faster of the console script and ``python -m inspector`` (the README shows it)."""
    script = ROOT / ".venv" / "bin" / "token-inspector"
    return [str(script)] if script.exists() else [sys.executable, "-m", "inspector"]


def bench_processes(runs: int, *, bytecode: bool) -> dict[str, float]:
    token = build_token()[0]
    env = {name: value for name, value in os.environ.items() if not (bytecode and name == "PYTHONDONTWRITEBYTECODE")}
    commands = {
        "token-inspector decode --json": [*decode_command(), "decode", "--json", token],
        "python -m inspector decode --json": [sys.executable, "-m", "inspector", "decode", "--json", token],
        "python -c 'import jwt; jwt.decode(unverified)'": [
            sys.executable, "-c",
            "import sys, jwt; jwt.decode(sys.argv[1], options={'verify_signature': False})", token],
        "python -c pass (interpreter start)": [sys.executable, "-c", "pass"],
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the OS caches
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="samples per measurement (default 30)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set (our modules are then compiled on every run)")
    args = parser.parse_args()

    ours, pyjwt = bench_in_process(args.runs)
    print("(a) in-process RS256 ID token verification, median per call")
    print(f"    token-inspector verify(), all OIDC checks : {ours * 1e6:8.1f} µs")
    print(f"    PyJWT jwt.decode()                        : {pyjwt * 1e6:8.1f} µs")
    print(f"    ratio {ours / pyjwt:.2f}  (target <= 1.5)")

    bytecode = not args.no_bytecode
    medians = bench_processes(args.runs, bytecode=bytecode)
    print(f"(b) whole process, median wall time ({'with' if bytecode else 'without'} bytecode caches)")
    for name, seconds in medians.items():
        print(f"    {name:<48}: {seconds * 1e3:7.1f} ms")
    baseline = medians["python -c 'import jwt; jwt.decode(unverified)'"]
    best = min(medians["token-inspector decode --json"], medians["python -m inspector decode --json"])
    print(f"    ratio {best / baseline:.2f}  (target <= 0.6; faster of console script and python -m)")


if __name__ == "__main__":
    main()
