"""A real protected resource on 127.0.0.1 for tests: it validates Bearer (RFC 6750) and DPoP
(RFC 9449) access tokens and refuses with the challenges those RFCs define.

How it validates a token is pluggable: ``jwks`` (a JWK Set dict) verifies JWT access tokens with
PyJWT (signature, ``exp``, and ``aud``/``iss`` when configured); ``introspect`` is a callable
``token -> RFC 7662 answer`` (the e2e provider's opaque tokens are checked that way). The answer
gives the claims the rest reads: ``scope``, and ``cnf.jkt`` for a DPoP-bound token.

``schemes`` are the ones it accepts (``("Bearer",)``, ``("DPoP",)`` or both); with DPoP accepted,
a DPoP-bound token sent as Bearer is refused (RFC 9449 §7.2). A DPoP request must carry one
``DPoP`` proof (§4.3): ``typ`` ``dpop+jwt``, an asymmetric ``alg`` it accepts, a public ``jwk``
that verifies the signature (by design of RFC 9449 the proof's own key), ``htm`` and ``htu``
matching the request, a fresh ``iat``, an unused ``jti``, ``ath`` the hash of the token, the key's
RFC 7638 thumbprint equal to the token's ``cnf.jkt``, and, when ``dpop_nonce`` is set, that nonce
(else ``use_dpop_nonce`` with a ``DPoP-Nonce`` header, §9).

``scopes`` maps a path to the space-separated scopes it requires (``insufficient_scope``, 403);
``redirects`` maps a path to a Location it redirects to (302), before any check. Every request
it receives is kept in ``received`` (method, path, lower-cased headers, body).

``htu`` is compared with the server's own URL (``api.url``, on 127.0.0.1): call it by that name.

``with ResourceServer(jwks=...) as api:`` → ``api.url``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

import jwt

__all__ = ["ASYMMETRIC_ALGS", "Received", "Refusal", "ResourceServer", "jwk_thumbprint", "token_hash"]

ASYMMETRIC_ALGS = ("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA")
#: RFC 7638 §3.2: the required members of each key type, the only ones hashed.
_THUMBPRINT_MEMBERS = {"EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n"), "OKP": ("crv", "kty", "x")}
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "k", "oth")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK (the value of ``cnf.jkt``, RFC 9449 §6.1)."""
    members = _THUMBPRINT_MEMBERS[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in members}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def token_hash(token: str) -> str:
    """RFC 9449 §4.2 ``ath``: base64url of the SHA-256 of the access token's ASCII."""
    return _b64url(hashlib.sha256(token.encode("ascii")).digest())


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: the HTTP status, the scheme of the error challenge, the error
    code and its description, and extra parameters (``scope``) and headers (``DPoP-Nonce``)."""

    status: int
    scheme: str | None = None
    error: str | None = None
    description: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


class ResourceServer:
    def __init__(self, *, jwks: Mapping[str, Any] | None = None,
                 introspect: Callable[[str], Mapping[str, Any] | None] | None = None,
                 audience: str | None = None, issuer: str | None = None, schemes: tuple[str, ...] = ("Bearer",),
                 scopes: Mapping[str, str] | None = None, redirects: Mapping[str, str] | None = None,
                 dpop_nonce: str | None = None, dpop_algs: tuple[str, ...] = ("ES256", "RS256", "PS256", "EdDSA"),
                 proof_max_age: float = 60, realm: str = "api", clock: Callable[[], float] = time.time) -> None:
        self.jwks = jwt.PyJWKSet.from_dict(dict(jwks)) if jwks is not None else None
        self.introspect = introspect
        self.audience, self.issuer = audience, issuer
        self.schemes = schemes
        self.scopes = dict(scopes or {})
        self.redirects = dict(redirects or {})
        self.dpop_nonce = dpop_nonce
        self.dpop_algs = dpop_algs
        self.proof_max_age = proof_max_age
        self.realm = realm
        self.clock = clock
        self.received: list[Received] = []
        self._seen_jti: set[str] = set()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        #: serve_forever looks for shutdown() this often: leaving the server waits for it.
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def __enter__(self) -> ResourceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                headers = {name.lower(): value for name, value in self.headers.items()}
                with outer._lock:
                    outer.received.append(Received(self.command, path, headers, body))
                if path in outer.redirects:
                    self.send_response(302)
                    self.send_header("Location", outer.redirects[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outcome = outer.check(self.command, path, self.headers.get_all("Authorization") or [],
                                      self.headers.get_all("DPoP") or [])
                if isinstance(outcome, Refusal):
                    outer._refuse(self, outcome)
                else:
                    answer = json.dumps({"path": path, "method": self.command, "sub": outcome.get("sub"),
                                         "scope": outcome.get("scope")}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any  # noqa: N815 - http.server's naming

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    # --- the checks (RFC 6750 §2.1 and §3.1, RFC 9449 §4.3, §7) ---

    def check(self, method: str, path: str, authorization: list[str], proofs: list[str]) -> Refusal | dict[str, Any]:
        """The token's claims when the request may proceed, else why it is refused."""
        if len(authorization) != 1:
            return Refusal(401) if not authorization else Refusal(400, self.schemes[0], "invalid_request",
                                                                  "More than one Authorization header")
        scheme, _, token = authorization[0].partition(" ")
        scheme, token = self._accepted(scheme), token.strip()
        if scheme is None or not token:
            return Refusal(401)
        claims = self._token_claims(token)
        if isinstance(claims, str):
            return Refusal(401, scheme, "invalid_token", claims)
        jkt = claims.get("cnf", {}).get("jkt") if isinstance(claims.get("cnf"), dict) else None
        if scheme == "Bearer" and jkt and "DPoP" in self.schemes:
            return Refusal(401, "Bearer", "invalid_token", "DPoP-bound token used as Bearer")
        if scheme == "DPoP":
            refused = self._check_proof(method, path, token, jkt, proofs)
            if refused is not None:
                return refused
        needed = self.scopes.get(path)
        if needed is not None:
            granted = str(claims.get("scope") or "").split()
            if any(scope not in granted for scope in needed.split()):
                return Refusal(403, scheme, "insufficient_scope", "The token lacks a scope this resource needs",
                               (("scope", needed),))
        return claims

    def _accepted(self, scheme: str) -> str | None:
        return next((name for name in self.schemes if name.lower() == scheme.lower()), None)

    def _token_claims(self, token: str) -> dict[str, Any] | str:
        """The token's claims, or the description of why it is not valid."""
        if self.jwks is not None and token.count(".") == 2:
            return self._jwt_claims(token)
        if self.introspect is not None:
            answer = self.introspect(token)
            if not answer or answer.get("active") is not True:
                return "The access token is not active (expired, revoked or unknown)"
            if self.audience is not None and self.audience not in _as_list(answer.get("aud")):
                return "The token's audience is not this API"
            return dict(answer)
        return "The access token is malformed"

    def _jwt_claims(self, token: str) -> dict[str, Any] | str:
        assert self.jwks is not None
        try:
            header = jwt.get_unverified_header(token)
            key = next((key for key in self.jwks.keys if key.key_id == header.get("kid")), None)
            if key is None:  # the kid only picks among the keys configured here, never adds one
                return "The token's signing key is unknown"
            return jwt.decode(token, key.key, algorithms=[key.algorithm_name or header.get("alg")],
                              audience=self.audience, issuer=self.issuer,
                              options={"require": ["exp"], "verify_aud": self.audience is not None})
        except jwt.ExpiredSignatureError:
            return "The access token expired"
        except jwt.InvalidAudienceError:
            return "The token's audience is not this API"
        except jwt.InvalidIssuerError:
            return "The token's issuer is not trusted"
        except jwt.InvalidSignatureError:
            return "The token's signature is invalid"
        except jwt.InvalidTokenError as exc:
            return f"The access token is malformed ({exc})"

    def _check_proof(self, method: str, path: str, token: str, jkt: str | None, proofs: list[str]) -> Refusal | None:
        def bad(description: str) -> Refusal:
            return Refusal(401, "DPoP", "invalid_dpop_proof", description)

        if jkt is None:
            return Refusal(401, "DPoP", "invalid_token", "The token is not DPoP-bound (no cnf.jkt)")
        if len(proofs) != 1:
            return bad("Exactly one DPoP proof header is required")
        try:
            header = jwt.get_unverified_header(proofs[0])
        except jwt.InvalidTokenError:
            return bad("The DPoP proof is not a JWT")
        jwk = header.get("jwk")
        if header.get("typ") != "dpop+jwt":
            return bad("The DPoP proof's typ is not dpop+jwt")
        if header.get("alg") not in self.dpop_algs:
            return bad(f"The DPoP proof's alg is not one of {' '.join(self.dpop_algs)}")
        if not isinstance(jwk, dict) or any(member in jwk for member in _PRIVATE_MEMBERS) \
                or jwk.get("kty") not in _THUMBPRINT_MEMBERS:
            return bad("The DPoP proof's jwk is not a public asymmetric key")
        try:  # RFC 9449 §4.3: the proof's own embedded key verifies it (typ dpop+jwt only)
            key = jwt.PyJWK(jwk, algorithm=header["alg"]).key
            claims = jwt.decode(proofs[0], key, algorithms=[header["alg"]],
                                options={"verify_aud": False, "verify_iat": False, "verify_exp": False,
                                         "verify_nbf": False})
        except jwt.InvalidTokenError as exc:
            return bad(f"The DPoP proof's signature does not verify ({exc})")
        except (KeyError, ValueError, TypeError) as exc:
            return bad(f"The DPoP proof's jwk cannot be used ({exc})")
        problem = self._proof_claim_problem(claims, method, path, token, jkt, jwk)
        if problem is not None:
            return bad(problem)
        if self.dpop_nonce is not None and claims.get("nonce") != self.dpop_nonce:
            return Refusal(401, "DPoP", "use_dpop_nonce", "Resource server requires nonce in DPoP proof",
                           headers=(("DPoP-Nonce", self.dpop_nonce),))
        with self._lock:
            if claims["jti"] in self._seen_jti:
                return bad("The DPoP proof's jti was already used")
            self._seen_jti.add(claims["jti"])
        return None

    def _proof_claim_problem(self, claims: dict[str, Any], method: str, path: str, token: str, jkt: str,
                             jwk: dict[str, Any]) -> str | None:
        for name in ("jti", "htm", "htu", "iat"):
            if name not in claims:
                return f"The DPoP proof lacks {name}"
        if claims["htm"] != method:
            return f"The DPoP proof's htm {claims['htm']!r} is not {method}"
        if _without_query(str(claims["htu"])) != _without_query(self.url + path):
            return f"The DPoP proof's htu {claims['htu']!r} is not this URL"
        iat = claims["iat"]
        if not isinstance(iat, (int, float)) or abs(self.clock() - iat) > self.proof_max_age:
            return "The DPoP proof's iat is not recent"
        if claims.get("ath") != token_hash(token):
            return "The DPoP proof's ath is not the hash of this access token"
        if jwk_thumbprint(jwk) != jkt:
            return "The DPoP proof's key is not the one the token is bound to (cnf.jkt)"
        return None

    def _refuse(self, handler: BaseHTTPRequestHandler, refusal: Refusal) -> None:
        handler.send_response(refusal.status)
        for challenge in self._challenges(refusal):
            handler.send_header("WWW-Authenticate", challenge)
        for name, value in refusal.headers:
            handler.send_header(name, value)
        body = json.dumps({"error": refusal.error} if refusal.error else {}).encode()
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _challenges(self, refusal: Refusal) -> list[str]:
        """One challenge per accepted scheme; the error goes in the one of the scheme used."""
        challenges = []
        for scheme in self.schemes:
            params = [("realm", self.realm)] if scheme == "Bearer" else [("algs", " ".join(self.dpop_algs))]
            if scheme == refusal.scheme and refusal.error:
                params += [("error", refusal.error)]
                params += [("error_description", refusal.description)] if refusal.description else []
                params += list(refusal.params)
            challenges.append(f"{scheme} " + ", ".join(f'{name}="{_quoted(value)}"' for name, value in params))
        return challenges


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
