"""Benchmark: the auth-code flow via the CLI vs a minimal raw-httpx script making the same HTTP
calls, both as whole processes against the same real oidc-provider, driven by the same scripted
user agent. Target: CLI ≤ 1.3× raw. Run: .venv/bin/python tests/benchmarks/bench_flow.py [rounds]

The raw script verifies nothing; the CLI also validates the ID token, which costs importing PyJWT
and cryptography (started on a thread while the person signs in, which a scripted sign-in is too
fast to hide). A third variant without an ID token shows that cost separately.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.provider import start_provider, stop_provider  # noqa: E402
from tests.support.user_agent import UserAgent  # noqa: E402

# The same HTTP calls the CLI makes (discovery, token, JWKS, userinfo) and the same loopback
# redirect, with none of the checks: the floor any client pays.
RAW_SCRIPT = r"""
import base64, hashlib, json, secrets, socket, sys
from urllib.parse import parse_qs, urlsplit
import httpx
issuer, client_id = sys.argv[1], sys.argv[2]
client = httpx.Client(timeout=30)
meta = client.get(issuer + "/.well-known/openid-configuration").json()
listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(1)
redirect_uri = f"http://127.0.0.1:{listener.getsockname()[1]}/callback"
verifier = secrets.token_urlsafe(32)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
url = httpx.URL(meta["authorization_endpoint"], params=dict(response_type="code", client_id=client_id,
    redirect_uri=redirect_uri, scope="openid email", state=state, nonce=nonce, code_challenge=challenge,
    code_challenge_method="S256"))
print(json.dumps({"step": "authorize", "url": str(url)}), flush=True)
conn, _ = listener.accept()
request = conn.recv(65536).decode()
conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"); conn.close(); listener.close()
params = {k: v[0] for k, v in parse_qs(urlsplit(request.split(" ")[1]).query).items()}
assert params["state"] == state
tokens = client.post(meta["token_endpoint"], data=dict(grant_type="authorization_code", code=params["code"],
    redirect_uri=redirect_uri, client_id=client_id, code_verifier=verifier)).json()
client.get(meta["jwks_uri"]).json()
client.get(meta["userinfo_endpoint"], headers={"Authorization": "Bearer " + tokens["access_token"]}).json()
print(json.dumps({"step": "done", "status": "ok"}), flush=True)
"""


def timed_run(command: list[str], cpu: list[float] | None = None) -> float:
    """Wall time from spawn to exit, including the user agent's sign-in (the same in both runs);
    the child's own CPU time (user + system) is appended to ``cpu``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    last = None
    with UserAgent() as agent:
        for text in process.stdout:
            line = json.loads(text)
            if line["step"] == "authorize":
                agent.authorize(line["url"])
            last = line
    process.stdout.close()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    if code != 0 or last is None or last.get("status") != "ok":
        raise SystemExit(f"run failed (exit {code}): {command[:4]} … last line {last}")
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as directory:
        provider = start_provider(Path(directory))
        try:
            cli = [sys.executable, "-m", "inspector.cli.main", "flow", "auth-code", "--issuer", provider.issuer,
                   "--client-id", "public-client", "--no-browser", "--json",
                   "--no-history"]  # like for like: the raw script saves nothing either
            variants = {
                "token-inspector CLI": cli + ["--scope", "openid email"],
                "  (without ID token)": cli + ["--scope", "email"],
                "raw httpx script": [sys.executable, "-c", RAW_SCRIPT, provider.issuer, "public-client"],
            }
            walls: dict[str, list[float]] = {name: [] for name in variants}
            cpus: dict[str, list[float]] = {name: [] for name in variants}
            for command in variants.values():
                timed_run(command)  # warm-up: page cache, provider JIT
            for _ in range(rounds):  # interleaved, so load changes hit every variant alike
                for name, command in variants.items():
                    walls[name].append(timed_run(command, cpus[name]))
        finally:
            stop_provider(provider)
    print(f"auth-code flow, whole process incl. the scripted sign-in, {rounds} rounds:")
    print(f"  {'':22s} {'median':>8s} {'min':>8s} {'max':>8s} {'child CPU':>10s}")
    for name in variants:
        wall = walls[name]
        print(f"  {name:22s} {statistics.median(wall) * 1000:6.1f}ms {min(wall) * 1000:6.1f}ms "
              f"{max(wall) * 1000:6.1f}ms {statistics.median(cpus[name]) * 1000:8.1f}ms")
    raw = walls["raw httpx script"]
    ratio = statistics.median(walls["token-inspector CLI"]) / statistics.median(raw)
    no_id = statistics.median(walls["  (without ID token)"]) / statistics.median(raw)
    print(f"  ratio CLI / raw: {ratio:.2f}× median, {min(walls['token-inspector CLI']) / min(raw):.2f}× best "
          f"(target ≤ 1.30×: {'met' if ratio <= 1.3 else 'NOT met'}); without ID token validation {no_id:.2f}×")


if __name__ == "__main__":
    main()
