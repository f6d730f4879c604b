"""JOSE: decoding and verifying JWS/JWT (no imports here, so ``decode`` loads only what it needs).

b64 (strict base64url) · parse (decode only, stdlib) · claims + registry (what claims mean) ·
keys (JWK/JWKS/PEM/secret) · algorithms (PyJWT's classes) · claim_checks · verify (the report).
"""
