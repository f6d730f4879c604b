"""Benchmark: reading the OAuth exchanges out of a 50 MB HAR (run on demand, never in CI's pass/fail).

    .venv/bin/python tests/benchmarks/bench_har.py [--megabytes 50] [--repeat 7] [--shape pages|api]

A recording like a customer's: a Chrome export (indented JSON, HTTP/2 headers) with a login in the
middle. Most entries are noise, as in real life. ``pages`` (the default): a few page loads, with
images and fonts saved base64, scripts and style sheets as text, JSON API calls, HTML pages and
analytics beacons (about a thousand entries). ``api``: the hardest case for the reader, a
single-page app's session of small entries that all need a second look (JSON API calls, GraphQL
POSTs, HTML views; about 25 entries per 100 kB), where per-entry costs weigh most. The login is
discovery, an authorization request, the sign-in page and its POST answered by a redirect to the
client, the callback, the token request, JWKS and userinfo.

Compared, in the same run, with the bare cost of ``json.load`` of the same file (open, read,
parse; nothing else). Target: ``read_har`` <= 1.5x, and so is the whole diagnosis as the CLI runs it
(``diagnose FILE``: read the file, detect what it is, find the exchanges, diagnose them). The two run round-robin R times and each
figure is the median, so a busy machine slows both alike; the file stays in the page cache.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inspector.core.diagnosis.detect import read_artifact  # noqa: E402
from inspector.core.diagnosis.engine import diagnose_bytes  # noqa: E402
from inspector.core.diagnosis.model import DiagnosisContext  # noqa: E402
from inspector.core.har.reader import read_har  # noqa: E402
from tests.support.har import HarBuilder, login_page  # noqa: E402

IDP, APP = "https://login.example.com/realms/acme", "https://app.example.com"
CB = f"{APP}/auth/callback"


def noise(har: HarBuilder, rng: random.Random, page: int, budget: int) -> None:
    """About ``budget`` bytes of the resources a page loads."""
    spent = 0
    while spent < budget:
        pick = rng.random()
        number = f"{page}-{rng.randrange(10**6)}"
        if pick < 0.35:
            size = rng.randrange(2_000, 60_000)
            har.asset(f"https://cdn.example.com/img/{number}.png?v=3", size, mime=rng.choice(["image/png", "image/webp"]))
            spent += size * 4 // 3
        elif pick < 0.45:
            size = rng.randrange(20_000, 90_000)
            har.asset(f"https://fonts.example.com/s/{number}.woff2", size, mime="font/woff2")
            spent += size * 4 // 3
        elif pick < 0.70:
            size = rng.randrange(5_000, 250_000)
            har.script(f"https://cdn.example.com/js/chunk-{number}.js", size)
            spent += size
        elif pick < 0.78:
            size = rng.randrange(2_000, 60_000)
            har.script(f"https://cdn.example.com/css/{number}.css", size, mime="text/css")
            spent += size
        elif pick < 0.92:
            rows = [{"id": n, "name": f"order {n}", "state": "shipped", "total": n * 3.5} for n in range(rng.randrange(5, 400))]
            har.json(f"{APP}/api/orders?page={number}&code_version=7", {"items": rows, "next": None})
            spent += len(json.dumps(rows))
        else:
            har.post("https://analytics.example.com/collect", json_body={"event": "view", "page": number, "token": "t"},
                     status=204)
            spent += 200


def api_calls(har: HarBuilder, rng: random.Random, budget: int) -> None:
    """About ``budget`` bytes of small JSON, GraphQL and HTML entries."""
    spent = 0
    while spent < budget:
        number = rng.randrange(10**6)
        rows = [{"id": n, "name": f"item {n}", "state": "ok"} for n in range(rng.randrange(5, 40))]
        pick = rng.random()
        if pick < 0.4:
            har.json(f"{APP}/api/items/{number}?page=2&sort=name", {"items": rows})
        elif pick < 0.7:
            har.post(f"{APP}/api/graphql", json_body={"query": "{ items { id name } }", "variables": {"n": number}},
                     json={"data": {"items": rows}})
        else:
            har.get(f"{APP}/view/{number}", text="<html><body>" + "<div>view</div>" * 40
                    + '<form action="/search"><input name="q"></form></body></html>')
        spent += 2_500


def build(megabytes: int, shape: str) -> HarBuilder:
    rng = random.Random(7)
    har = HarBuilder("chrome", step=0.02)
    budget = megabytes * 1_000_000
    pages = 6
    for page in range(pages):
        har.page(f"{APP}/page/{page}")
        har.get(f"{APP}/page/{page}", text="<!DOCTYPE html><html><body>" + "<div>app</div>" * 2000 + "</body></html>")
        fill = noise if shape == "pages" else lambda har, rng, page, budget: api_calls(har, rng, budget)
        fill(har, rng, page, budget // pages // 2)
        if page == 2:
            login(har)
        fill(har, rng, page, budget // pages // 2)
    return har


def login(har: HarBuilder) -> None:
    har.json(f"{IDP}/.well-known/openid-configuration", {
        "issuer": IDP, "authorization_endpoint": f"{IDP}/protocol/openid-connect/auth",
        "token_endpoint": f"{IDP}/protocol/openid-connect/token", "jwks_uri": f"{IDP}/protocol/openid-connect/certs",
        "userinfo_endpoint": f"{IDP}/protocol/openid-connect/userinfo"})
    har.authorize(f"{IDP}/protocol/openid-connect/auth", client_id="web", redirect_uri=CB, state="st-1",
                  nonce="n-1", scope="openid profile", code_challenge="x" * 43, code_challenge_method="S256",
                  page=login_page(f"{IDP}/login-actions/authenticate?session_code=abc"))
    har.redirect(f"{CB}?state=st-1&session_state=ss&iss={IDP}&code=c-1", method="POST",
                 url=f"{IDP}/login-actions/authenticate?session_code=abc")
    har.callback(CB, state="st-1", session_state="ss", code="c-1", location=f"{APP}/home")
    har.token(f"{IDP}/protocol/openid-connect/token", {"grant_type": "authorization_code", "code": "c-1",
                                                      "redirect_uri": CB, "code_verifier": "v" * 43})
    har.json(f"{IDP}/protocol/openid-connect/certs", {"keys": [{"kty": "RSA", "kid": "k1", "n": "x" * 342, "e": "AQAB"}]})
    har.json(f"{IDP}/protocol/openid-connect/userinfo", {"sub": "alice"})


def round_robin(actions: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {label: [] for label in actions}
    for _ in range(repeat):
        for label, action in actions.items():
            gc.collect()
            start = time.perf_counter()
            result = action()
            samples[label].append((time.perf_counter() - start) * 1000)
            del result  # freed outside the timed region
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--shape", choices=["pages", "api"], default="pages")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = build(options.megabytes, options.shape).write(Path(folder) / "login.har")
        data = path.read_bytes()

        def bare() -> Any:
            with path.open("rb") as handle:
                return json.load(handle)

        timeline = read_har(path)
        figures = round_robin({"json.load": bare, "read_har(path)": lambda: read_har(path),
                               "json.loads(bytes)": lambda: json.loads(data),
                               "read_har(bytes)": lambda: read_har(data),
                               "diagnose(path)": lambda: diagnose_bytes(read_artifact(str(path)), DiagnosisContext())},
                              options.repeat)

    print(f"HAR ({options.shape}): {len(data) / 1e6:.1f} MB, {timeline.entry_count:,} entries, {len(timeline.exchanges)} OAuth exchanges "
          f"({', '.join(exchange.kind.value for exchange in timeline.exchanges)})")
    for bare_label, label in (("json.load", "read_har(path)"), ("json.loads(bytes)", "read_har(bytes)"),
                              ("json.load", "diagnose(path)")):
        print(f"{bare_label:20} {figures[bare_label]:8.1f} ms   1.00x")
        ratio = figures[label] / figures[bare_label]
        print(f"{label:20} {figures[label]:8.1f} ms  {ratio:5.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
