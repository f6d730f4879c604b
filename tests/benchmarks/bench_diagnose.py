"""Diagnosis benchmark, run on demand: ``.venv/bin/python tests/benchmarks/bench_diagnose.py [--runs N]``.

In-process: ``diagnose_text()`` of an RS256 ID token (detection, decoding, the kind of token, the
verifier with the same expectations, mapping its findings to causes, ranking) against ``verify()``
of the same token with the same key and expectations. Two tokens: a valid one, and one that fails
three ways (expired, wrong audience, nonce mismatch). Target: ratio <= 2.0 for both.

Medians over many runs, interleaved so machine noise hits both sides alike. (The HAR figure is
measured once the HAR reader lands.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

NOW = 1_800_000_000
ISSUER, CLIENT, NONCE = "https://login.example.com", "web-app", "n-0S6_WzA2Mj"


def timed(function: Callable[[], object], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        function()
    return (time.perf_counter() - start) / loops


def bench(token: str, runs: int, *, expect_valid: bool) -> tuple[float, float]:
    from inspector.core.diagnosis.engine import diagnose_text
    from inspector.core.diagnosis.model import DiagnosisContext
    from inspector.core.jose.verify import Expectations, verify
    from tests.support.diagnosis import keys

    key = keys()
    context = DiagnosisContext(issuer=ISSUER, client_id=CLIENT, nonce=NONCE, keys=key, clock=lambda: NOW)
    expect = Expectations(issuer=ISSUER, client_id=CLIENT, nonce=NONCE)

    def ours() -> None:
        report = diagnose_text(token, context)
        assert report.explained is not expect_valid, report.to_json()

    def verifier() -> None:
        report = verify(token, list(key), expect, now=NOW)
        assert report.valid is expect_valid

    loops = 200
    ours_times, verify_times = [], []
    for _ in range(runs):
        ours_times.append(timed(ours, loops))
        verify_times.append(timed(verifier, loops))
    return statistics.median(ours_times), statistics.median(verify_times)


def main() -> None:
    from tests.support.diagnosis import id_token

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="samples per measurement (default 30)")
    args = parser.parse_args()
    cases = {
        "valid ID token": (id_token(), True),
        "expired, wrong aud, wrong nonce": (id_token(exp=NOW - 3600, iat=NOW - 7200, aud="other", nonce="x"), False),
    }
    print("in-process RS256 ID token, median per call")
    for name, (token, valid) in cases.items():
        ours, verifier = bench(token, args.runs, expect_valid=valid)
        print(f"  {name}")
        print(f"    diagnose_text() : {ours * 1e6:8.1f} µs")
        print(f"    verify()        : {verifier * 1e6:8.1f} µs")
        print(f"    ratio {ours / verifier:.2f}  (target <= 2.0)")


if __name__ == "__main__":
    main()
