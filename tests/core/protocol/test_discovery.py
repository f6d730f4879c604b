import httpx
import pytest

from inspector.core.protocol.discovery import check_issuer_url, discover, lint_metadata
from inspector.core.protocol.http import make_client

ISSUER = "https://op.example/tenant"

GOOD = {
    "issuer": ISSUER,
    "authorization_endpoint": "https://op.example/tenant/auth",
    "token_endpoint": "https://op.example/tenant/token",
    "jwks_uri": "https://op.example/tenant/jwks",
    "response_types_supported": ["code"],
    "subject_types_supported": ["public"],
    "id_token_signing_alg_values_supported": ["ES256"],
    "code_challenge_methods_supported": ["S256"],
    "authorization_response_iss_parameter_supported": True,
}


def _client(routes, calls=None):
    def handler(request):
        if calls is not None:
            calls.append(str(request.url))
        status, body = routes.get(str(request.url), (404, {"error": "not_found"}))
        return httpx.Response(status, json=body)

    return make_client(timeout=5, transport=httpx.MockTransport(handler))


def codes(findings):
    return sorted(f.code for f in findings)


def test_good_metadata_has_no_findings():
    result = discover(ISSUER, _client({ISSUER + "/.well-known/openid-configuration": (200, GOOD)}))
    assert result.ok
    assert result.findings == []
    assert result.endpoint("token_endpoint") == "https://op.example/tenant/token"
    assert len(result.exchanges) == 1


def test_issuer_mismatch_is_an_error_that_stops_the_flow():
    other = dict(GOOD, issuer="https://evil.example/tenant")
    result = discover(ISSUER, _client({ISSUER + "/.well-known/openid-configuration": (200, other)}))
    assert not result.ok
    assert "discovery_issuer_mismatch" in codes(result.findings)


def test_trailing_slash_is_a_different_issuer():
    result = discover(ISSUER + "/", _client({ISSUER + "/.well-known/openid-configuration": (200, GOOD)}))
    assert "discovery_issuer_mismatch" in codes(result.findings)


def test_falls_back_to_rfc8414_location_with_the_path_after_the_well_known_segment():
    calls = []
    meta = {"issuer": ISSUER, "response_types_supported": ["code"], "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True}
    url = "https://op.example/.well-known/oauth-authorization-server/tenant"
    result = discover(ISSUER, _client({url: (200, meta)}, calls))
    assert result.ok, result.findings
    assert calls == [ISSUER + "/.well-known/openid-configuration", url]
    assert result.findings == []


def test_nothing_found_is_discovery_not_found():
    result = discover(ISSUER, _client({}))
    assert codes(result.findings) == ["discovery_not_found"]


def test_lint_reports_missing_fields_pkce_http_endpoints_implicit_and_iss():
    meta = {"issuer": ISSUER, "authorization_endpoint": "http://op.example/auth",
            "token_endpoint": "https://op.example/token", "response_types_supported": ["code", "id_token token"]}
    found = codes(lint_metadata(meta))
    assert found == sorted([
        "discovery_missing_field", "discovery_missing_field", "discovery_missing_field",
        "pkce_s256_not_advertised", "insecure_endpoint", "implicit_offered", "iss_parameter_unsupported",
    ])


def test_http_endpoints_on_loopback_are_fine():
    meta = dict(GOOD, issuer="http://127.0.0.1:8080", authorization_endpoint="http://127.0.0.1:8080/auth",
                token_endpoint="http://127.0.0.1:8080/token", jwks_uri="http://127.0.0.1:8080/jwks")
    assert lint_metadata(meta) == []


def test_http_issuer_rules():
    assert codes(check_issuer_url("http://127.0.0.1:3000")) == ["http_loopback"]
    assert codes(check_issuer_url("http://op.example")) == ["insecure_issuer"]
    assert check_issuer_url("http://op.example", allow_http=True)[0].severity.value == "warning"
    assert codes(check_issuer_url("op.example")) == ["invalid_issuer"]


def test_http_issuer_off_loopback_is_not_fetched():
    calls = []
    result = discover("http://op.example", _client({}, calls))
    assert calls == [] and not result.ok


def test_html_discovery_document_is_invalid_response():
    def handler(request):
        return httpx.Response(200, text="<html>hello</html>", headers={"content-type": "text/html"})

    result = discover(ISSUER, make_client(timeout=5, transport=httpx.MockTransport(handler)))
    assert codes(result.findings) == ["invalid_response"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "smb://evil.example/share",
                                 "ftp://op.example/auth", "https://", 42])
def test_an_endpoint_that_is_not_an_http_url_is_an_invalid_endpoint_error(url):
    """Such an authorization_endpoint used to be opened in the system browser without a finding."""
    found = lint_metadata(dict(GOOD, authorization_endpoint=url))
    assert codes(found) == ["invalid_endpoint"] and found[0].claim == "authorization_endpoint"


def test_endpoints_on_another_host_than_the_issuer_are_one_warning_naming_them():
    meta = dict(GOOD, token_endpoint="https://evil.example/token", userinfo_endpoint="https://api.op.example/me")
    [finding] = lint_metadata(meta)
    assert finding.code == "endpoint_other_host" and finding.severity.value == "warning"
    assert "token_endpoint (evil.example)" in finding.message and "userinfo_endpoint (api.op.example)" in finding.message


def test_allow_http_makes_plain_http_endpoints_a_warning_as_it_does_for_the_issuer():
    """--allow-http used to pass the issuer check and then fail on every endpoint of its metadata."""
    issuer = "http://op.example"
    meta = dict(GOOD, issuer=issuer, authorization_endpoint=f"{issuer}/auth", token_endpoint=f"{issuer}/token",
                jwks_uri=f"{issuer}/jwks")
    result = discover(issuer, _client({f"{issuer}/.well-known/openid-configuration": (200, meta)}), allow_http=True)
    assert result.ok, result.findings
    assert {(f.code, f.severity.value) for f in result.findings} == {("insecure_issuer", "warning"),
                                                                     ("insecure_endpoint", "warning")}
    assert {f.severity.value for f in lint_metadata(meta)} == {"error"}
