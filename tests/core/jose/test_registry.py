from inspector.core.jose.registry import CLAIMS, HEADER_PARAMETERS


def test_claim_entries_are_well_formed():
    for name, (category, vendor, description) in CLAIMS.items():
        assert category in ("registered", "oidc", "access_token", "vendor"), name
        assert bool(vendor) == (category == "vendor"), name
        assert description.endswith(".") and len(description) < 120 and "\n" not in description, name


def test_header_entries_are_one_line():
    assert all(text.endswith(".") and "\n" not in text for text in HEADER_PARAMETERS.values())
    assert {"alg", "kid", "jku", "jwk", "x5u", "x5c", "crit", "b64"} <= set(HEADER_PARAMETERS)
