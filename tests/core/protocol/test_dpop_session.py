from inspector.core.protocol.dpop_session import DpopSession


def test_a_kept_key_is_the_session_key_so_tokens_bound_to_it_stay_usable():
    kept = DpopSession.start().key.to_private_jwk()
    assert DpopSession.start(kept).key.thumbprint == DpopSession.start(kept).key.thumbprint


def test_without_a_kept_key_each_flow_gets_its_own_key():
    assert DpopSession.start().key.thumbprint != DpopSession.start().key.thumbprint


def test_proofs_carry_the_session_key_and_the_injected_clock():
    import jwt

    session = DpopSession.start()
    proof = session.proofs(clock=lambda: 1_700_000_000, random=lambda n: "jti")("POST", "https://as.example/token?x=1")
    assert jwt.get_unverified_header(proof)["jwk"] == session.key.public_jwk
    claims = jwt.decode(proof, options={"verify_signature": False})
    assert claims == {"jti": "jti", "htm": "POST", "htu": "https://as.example/token", "iat": 1_700_000_000}
