"""Hypothesis strategies for token-shaped input: arbitrary text and bytes, and near-tokens whose
segments are base64url of JSON, of random bytes, or random text."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from inspector.core.jose.b64 import b64url_encode

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
_headers = st.fixed_dictionaries(
    {"alg": st.sampled_from(["RS256", "HS256", "ES256", "EdDSA", "none", "NONE", "PS512", "RSA1_5", 5])},
    optional={"kid": st.text(max_size=5), "crit": _json_values, "b64": st.booleans(), "jku": st.text(max_size=5)},
)
_claims = st.dictionaries(st.sampled_from(["exp", "nbf", "iat", "iss", "aud", "azp", "nonce", "at_hash", "sub"]),
                          _json_values, max_size=6)
_segments = st.one_of(
    _headers.map(lambda v: b64url_encode(json.dumps(v).encode())),
    _claims.map(lambda v: b64url_encode(json.dumps(v).encode())),
    _json_values.map(lambda v: b64url_encode(json.dumps(v).encode())),
    st.binary(max_size=40).map(b64url_encode),
    st.text(max_size=12),
)

near_tokens = st.lists(_segments, min_size=1, max_size=6).map(".".join)
any_text = st.one_of(st.text(), near_tokens, st.builds(lambda p, t: p + t, st.sampled_from(["Bearer ", '"', " "]),
                                                       near_tokens))
any_bytes = st.binary().map(lambda data: data.decode("utf-8", "surrogateescape"))
