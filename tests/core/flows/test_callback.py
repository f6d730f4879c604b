import pytest

from inspector.core.flows.callback import NAME_CHARS, check_callback

STATE = "s" * 43
ISSUER = "https://op.example"


def check(pairs, *, expected_issuer=ISSUER, require_iss=False):
    return check_callback(pairs, expected_state=STATE, expected_issuer=expected_issuer, require_iss=require_iss)


def test_a_response_with_each_parameter_once_is_accepted():
    result = check([("code", "c"), ("state", STATE), ("iss", ISSUER), ("session_state", "x")])
    assert result.outcome == "ok" and result.code == "c" and result.findings == []


@pytest.mark.parametrize(
    "pairs, repeated",
    [
        ([("code", "c"), ("state", "WRONG"), ("state", STATE)], "state"),
        ([("code", "REAL"), ("state", STATE), ("code", "ATTACKER")], "code"),
        ([("code", "c"), ("state", STATE), ("iss", "https://evil.example"), ("iss", ISSUER)], "iss"),
        ([("code", "c"), ("state", STATE), ("error", "x"), ("error", "y")], "error"),
        ([("code", "c"), ("state", STATE), ("session_state", "a"), ("session_state", "a")], "session_state"),
    ],
    ids=["state", "code", "iss", "error", "even-an-extra-one-with-equal-values"],
)
def test_a_repeated_parameter_is_an_invalid_callback_naming_it_and_nothing_is_kept(pairs, repeated):
    result = check(pairs)
    assert result.outcome == "error" and result.code is None and result.params == {}
    assert [f.code for f in result.findings] == ["invalid_callback"]
    assert f"parameter {repeated!r};" in result.findings[0].message
    assert "RFC 6749 §3.1" in result.findings[0].message


def test_repeated_parameters_are_refused_before_the_state_is_compared():
    result = check([("state", "a"), ("state", "b"), ("code", "c"), ("code", "d")])
    assert [f.code for f in result.findings] == ["invalid_callback"]
    assert "parameters 'state', 'code';" in result.findings[0].message


def test_a_long_repeated_name_is_quoted_shortened():
    name = "n" * 5000
    message = check([("code", "c"), ("state", STATE), (name, "1"), (name, "2")]).findings[0].message
    assert repr("n" * NAME_CHARS + "…") in message and len(message) < 400


def test_state_iss_error_and_missing_code_keep_their_findings():
    assert check([("code", "c"), ("state", "x")]).findings[0].code == "state_mismatch"
    assert check([("code", "c"), ("state", STATE)], require_iss=True).findings[0].code == "iss_param_mismatch"
    assert check([("code", "c"), ("state", STATE)], expected_issuer=None, require_iss=True).outcome == "ok"
    assert check([("error", "access_denied"), ("state", STATE)]).findings[0].code == "callback_error"
    assert check([("code", ""), ("state", STATE)]).findings[0].code == "callback_error"
