"""Benchmark: calling an API with a token, and a client that presents a certificate (mTLS), run
on demand: ``.venv/bin/python tests/benchmarks/bench_api_call.py [--runs N]``.

(a) ``call_api`` (the target checked, the token decoded and its kind told, the exchange recorded
    with secrets masked, the answer's body and challenge read into findings) against a raw
    ``httpx.Client.get`` with the same headers and ``response.json()``, both on httpx.MockTransport
    answering a small JSON body. The token is an ES256 JWT access token. With Bearer, and with
    DPoP: there the raw side also signs a proof with PyJWT for each call (jti, htm, htu, iat, ath),
    as any DPoP client must.
(b) ``make_client`` (truststore context, headers, no redirects) with a checked client certificate
    against the same without one, and a bare ``httpx.Client()``. The certificate's key is loaded
    into OpenSSL through an encrypted temporary file (never in plaintext on disk), which is the
    difference measured.

Medians over N rounds, interleaved; ratios are the median of the rounds' ratios.

Figures (2026-12-08, 2 cores, load average 4–5 from other jobs, 15 rounds; two passes whose
ratios agreed within 0.15 except where the first pass is shown; the second pass's medians):

    (a) call_api, Bearer                       399 µs   2.54×   (first pass 481 vs 220 µs, 2.39×)
        raw httpx get, Bearer                  149 µs   1.00×
        call_api, DPoP                         702 µs   2.80×   (first pass 1001 vs 423 µs, 2.44×)
        raw httpx get + PyJWT proof, DPoP      245 µs   1.00×
    (b) make_client with client certificate    2.4 ms   5.60×
        make_client without                    0.4 ms   1.00×
        bare httpx.Client()                   25.1 ms  51.69×

call_api's ~250 µs (Bearer) to ~450 µs (DPoP) over raw httpx is its bookkeeping, spread thin (the
token decoded for its kind, the target checked, the exchange recorded with secrets masked, the
watchdog armed, the body parsed and viewed; with DPoP the proof recorded for display): under a
millisecond beside any real network round trip, and no single part stands out in a profile.
A client certificate adds ~2 ms once per client (its key re-encrypted with a random password for
the temporary file OpenSSL reads); a bare httpx.Client() costs 25 ms because it loads certifi's
CA bundle at once, where make_client's truststore context does not.
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.interleaved import compare, report  # noqa: E402

URL = "https://api.example/v1/orders?limit=10"
BODY = {"orders": [{"id": index, "total": "12.50", "state": "shipped"} for index in range(10)]}


def api_variants() -> tuple[dict[str, Callable[[], object]], dict[str, Callable[[], object]]]:
    import httpx
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from inspector.core.jose.b64 import b64url_encode
    from inspector.core.jose.dpop_key import DpopKey
    from inspector.core.protocol.api_call import ApiRequest, call_api
    from inspector.core.protocol.api_dpop import DpopAuthorizer
    from inspector.core.protocol.dpop_session import DpopSession
    from inspector.core.protocol.http import make_client

    now = int(time.time())
    issuer_key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode({"iss": "https://op.example", "sub": "svc", "aud": "https://api.example", "client_id": "svc",
                        "scope": "orders", "iat": now, "exp": now + 3600}, issuer_key, algorithm="ES256",
                       headers={"typ": "at+jwt", "kid": "k1"})
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=BODY))
    ours_client = make_client(timeout=10, transport=transport)
    raw_client = httpx.Client(transport=transport)
    request = ApiRequest("GET", URL)
    private = ec.generate_private_key(ec.SECP256R1())
    session = DpopSession(DpopKey(private, "ES256"))
    dpop = DpopAuthorizer(session)
    public_jwk = session.key.public_jwk
    ath = b64url_encode(hashlib.sha256(token.encode()).digest())

    def ours(authorizer: object = None) -> Callable[[], None]:
        def run() -> None:
            answer = call_api(ours_client, request, token, **({"authorizer": authorizer} if authorizer else {}))
            assert answer.exchanges[-1].status == 200 and len(answer.exchanges) == 1, answer.findings
        return run

    def raw_bearer() -> None:
        response = raw_client.get(URL, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        assert response.json() == BODY

    def raw_dpop() -> None:
        proof = jwt.encode({"jti": secrets.token_urlsafe(16), "htm": "GET", "htu": "https://api.example/v1/orders",
                            "iat": int(time.time()), "ath": ath}, private, algorithm="ES256",
                           headers={"typ": "dpop+jwt", "jwk": public_jwk})
        response = raw_client.get(URL, headers={"Authorization": f"DPoP {token}", "DPoP": proof,
                                                "Accept": "application/json"})
        assert response.json() == BODY

    bearer = {"call_api, Bearer": ours(), "raw httpx get, Bearer": raw_bearer}
    bound = {"call_api, DPoP": ours(dpop), "raw httpx get + PyJWT proof, DPoP": raw_dpop}
    return bearer, bound


def client_variants(directory: Path) -> dict[str, Callable[[], object]]:
    import httpx

    from inspector.core.protocol.client_cert import check_client_certificate
    from inspector.core.protocol.http import make_client
    from tests.support.mtls import make_pki

    pki = make_pki(directory)
    certificate = check_client_certificate(pki.client.cert_pem, pki.client.key_pem, now=time.time)

    def made(**extra: object) -> Callable[[], None]:
        def run() -> None:
            make_client(timeout=10, **extra).close()
        return run

    return {"make_client with client certificate": made(client_cert=certificate),
            "make_client without": made(), "bare httpx.Client()": lambda: httpx.Client().close()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="samples per variant (default 15)")
    args = parser.parse_args()
    bearer, bound = api_variants()
    report("(a) one API call on MockTransport, median per call", compare(bearer, args.runs, 200),
           "raw httpx get, Bearer")
    report("    with DPoP", compare(bound, args.runs, 200), "raw httpx get + PyJWT proof, DPoP")
    with tempfile.TemporaryDirectory() as directory:
        report("(b) making the HTTP client, median per client", compare(client_variants(Path(directory)), args.runs,
                                                                          20), "make_client without", "ms")


if __name__ == "__main__":
    main()
