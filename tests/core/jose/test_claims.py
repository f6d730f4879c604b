from datetime import timedelta, timezone

import pytest

from inspector.core.jose.claims import (
    TIME_CLAIMS,
    describe_claim,
    describe_header,
    describe_time,
    humanize_duration,
    in_date_range,
    is_numeric_date,
)

NOW = 1_800_000_000  # 2027-01-15 08:00:00 UTC
CET = timezone(timedelta(hours=1), "CET")


@pytest.mark.parametrize(
    ("name", "category", "vendor"),
    [
        ("exp", "registered", None), ("jti", "registered", None),
        ("nonce", "oidc", None), ("at_hash", "oidc", None), ("c_hash", "oidc", None), ("azp", "oidc", None),
        ("auth_time", "oidc", None), ("acr", "oidc", None), ("amr", "oidc", None), ("sid", "oidc", None),
        ("address", "oidc", None), ("updated_at", "oidc", None), ("email_verified", "oidc", None),
        ("client_id", "access_token", None), ("scope", "access_token", None), ("groups", "access_token", None),
        ("roles", "access_token", None), ("entitlements", "access_token", None),
        ("act", "access_token", None), ("may_act", "access_token", None), ("cnf", "access_token", None),
        ("oid", "vendor", "Microsoft"), ("tid", "vendor", "Microsoft"), ("aio", "vendor", "Microsoft"),
        ("uti", "vendor", "Microsoft"), ("rh", "vendor", "Microsoft"), ("wids", "vendor", "Microsoft"),
        ("upn", "vendor", "Microsoft"), ("appid", "vendor", "Microsoft"), ("azpacr", "vendor", "Microsoft"),
        ("hd", "vendor", "Google"), ("realm_access", "vendor", "Keycloak"), ("resource_access", "vendor", "Keycloak"),
        ("cid", "vendor", "Okta"), ("uid", "vendor", "Okta"),
        ("cognito:groups", "vendor", "AWS Cognito"), ("token_use", "vendor", "AWS Cognito"),
    ],
)
def test_registry_knows_standard_and_vendor_claims(name, category, vendor):
    info = describe_claim(name)
    assert info is not None and info.name == name
    assert (info.category, info.vendor) == (category, vendor)
    assert info.description.endswith(".") and "\n" not in info.description


def test_namespaced_claims_get_a_hint_and_custom_claims_none():
    info = describe_claim("https://example.com/roles")
    assert info is not None and info.vendor == "namespaced" and "Auth0" in info.description
    assert describe_claim("favourite_colour") is None


def test_header_parameters_are_described():
    assert "never trusted" in describe_header("jwk")
    assert describe_header("x-custom") is None


def test_time_claims():
    assert {"exp", "nbf", "iat", "auth_time", "updated_at"} <= TIME_CLAIMS


@pytest.mark.parametrize(
    ("claim", "epoch", "relative", "state"),
    [
        ("exp", NOW - 180, "expired 3 minutes ago", "expired"),
        ("exp", NOW, "expired just now", "expired"),
        ("exp", NOW + 7200, "expires in 2 hours", "valid"),
        ("exp", NOW + 1, "expires in 1 second", "valid"),
        ("nbf", NOW, "valid from now", "valid"),
        ("nbf", NOW + 300, "becomes valid in 5 minutes", "not_yet_valid"),
        ("nbf", NOW - 86400 * 3, "valid since 3 days ago", "valid"),
        ("iat", NOW - 63 * 60, "issued 63 minutes ago", "past"),
        ("iat", NOW + 30, "issued in 30 seconds (in the future)", "future"),
        ("auth_time", NOW - 5 * 3600, "authenticated 5 hours ago", "past"),
        ("updated_at", NOW - 400 * 86400, "updated 13 months ago", "past"),
        ("updated_at", NOW - 3 * 365 * 86400, "updated 3 years ago", "past"),
    ],
)
def test_describe_time_relative_phrase_and_state(claim, epoch, relative, state):
    text = describe_time(claim, epoch, NOW, tz=CET)
    assert (text.relative, text.state) == (relative, state)


def test_describe_time_renders_utc_and_injected_local_zone():
    text = describe_time("exp", NOW, NOW, tz=CET)
    assert text.utc == "2027-01-15 08:00:00 UTC"
    assert text.local == "2027-01-15 09:00:00 CET (+0100)"


def test_describe_time_accepts_fractions():
    assert describe_time("iat", NOW - 0.5, NOW, tz=CET).relative == "issued just now"


@pytest.mark.parametrize("epoch", ["1800000000", True, None, [1], float("inf")])
def test_describe_time_of_non_numbers_is_neutral(epoch):
    assert describe_time("exp", epoch, NOW, tz=CET).state == "neutral"


@pytest.mark.parametrize("epoch", [10**20, -(10**20)])
def test_describe_time_out_of_range_is_neutral(epoch):
    assert describe_time("exp", epoch, NOW, tz=CET).utc == "out of range"


def test_humanize_duration_units():
    assert [humanize_duration(s) for s in (0, 59, 60, 119 * 60, 7200, 47 * 3600, 2 * 86400)] == [
        "0 seconds", "59 seconds", "1 minute", "119 minutes", "2 hours", "47 hours", "2 days",
    ]


def test_is_numeric_date():
    assert is_numeric_date(1) and is_numeric_date(1.5)
    assert not any(is_numeric_date(v) for v in (True, "1", None, float("nan")))


def test_exp_of_10_to_309_is_a_number_but_no_date():
    """math.isfinite(10**309) raises OverflowError: decode ended as an 'unexpected internal error'."""
    assert is_numeric_date(10**309) and not in_date_range(10**309)
    text = describe_time("exp", 10**309, NOW, tz=CET)
    assert (text.utc, text.state) == ("out of range", "neutral") and text.relative.startswith("out of range")
    assert in_date_range(NOW) and in_date_range(253_402_300_799) and not in_date_range(253_402_300_800)


def test_act_and_may_act_explain_delegation_against_impersonation():
    act = describe_claim("act").description
    assert "delegation" in act and "impersonate" in act and "RFC 8693 §4.1" in act
    assert "exchange this token" in describe_claim("may_act").description
