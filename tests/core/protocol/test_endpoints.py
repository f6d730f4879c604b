"""The check every issuer and hand-set endpoint URL gets, and what counts as loopback."""

import pytest

from inspector.core.protocol.endpoints import ENDPOINTS, check_url, is_loopback_url, option_name


def codes(findings):
    return [(finding.code, finding.severity.value) for finding in findings]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/x", "http://127.9.9.9/", "http://localhost:3000",
                                 "http://[::1]:8080/token"])
def test_loopback_hosts(url):
    assert is_loopback_url(url)


@pytest.mark.parametrize("url", ["http://localhost.evil.example/", "http://127.0.0.1.nip.io/", "http://0.0.0.0/",
                                 "http://[::ffff:8.8.8.8]/", "http://10.0.0.1/", "http://[::1", "not a url", ""])
def test_look_alikes_and_broken_urls_are_not_loopback(url):
    assert not is_loopback_url(url)


def test_https_needs_no_finding():
    assert check_url("https://op.example/token", "token_endpoint") == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://op.example/x", "https://",
                                 "op.example/token", "http://[::1", ""])
def test_anything_but_an_http_url_with_a_host_is_invalid(url):
    assert codes(check_url(url, "token_endpoint")) == [("invalid_endpoint", "error")]
    assert codes(check_url(url, "issuer")) == [("invalid_issuer", "error")]


def test_plain_http_is_info_on_loopback_an_error_elsewhere_and_a_warning_when_allowed():
    assert codes(check_url("http://[::1]:9000", "issuer")) == [("http_loopback", "info")]
    assert codes(check_url("http://op.example", "issuer")) == [("insecure_issuer", "error")]
    assert codes(check_url("http://op.example/t", "token_endpoint", allow_http=True)) == [("insecure_endpoint", "warning")]


def test_endpoint_findings_point_at_the_endpoint_and_issuer_findings_at_no_claim():
    [endpoint] = check_url("http://op.example/t", "token_endpoint")
    [issuer] = check_url("http://op.example", "issuer")
    assert endpoint.claim == "token_endpoint" and issuer.claim is None


def test_every_endpoint_has_an_option_named_after_it():
    assert option_name("device_authorization_endpoint") == "--device-authorization-endpoint"
    assert len({option_name(name) for name in ENDPOINTS}) == len(ENDPOINTS)
