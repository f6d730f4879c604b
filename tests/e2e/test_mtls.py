"""Mutual TLS (RFC 8705) against the real oidc-provider served over HTTPS by a private test CA
(the ``oidc_provider_mtls`` fixture): both mTLS client authentication methods get certificate-
bound tokens; a bound token sent without its certificate is refused and explained; an unusable
certificate is stopped before anything is sent; a certificate the provider does not see is its
invalid_client, explained."""

import datetime

import pytest

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.cli import run_cli
from tests.support.flows import ScriptedBrowser, environment
from tests.support.mtls import issue
from tests.support.provider import MTLS_CLIENT, SELF_SIGNED_CLIENT, TEST_API

pytestmark = pytest.mark.e2e


def codes(step_line):
    return [finding["code"] for finding in step_line.get("findings", [])]


@pytest.fixture
def cert_files(oidc_provider_mtls, tmp_path):
    pki = oidc_provider_mtls.pki
    return {"client": pki.client.write(tmp_path, "client"), "self_signed": pki.self_signed.write(tmp_path, "self"),
            "ca": str(pki.ca_path)}


def cli_flow(provider, files, *args):
    return run_cli("flow", "client-credentials", "--issuer", provider.issuer, "--ca-bundle", files["ca"],
                   "--json", "--no-history", "--timeout", "30", *args)


def test_tls_client_auth_from_the_cli_gets_a_certificate_bound_token(oidc_provider_mtls, cert_files):
    cert, key = cert_files["client"]
    run = cli_flow(oidc_provider_mtls, cert_files, "--client-id", MTLS_CLIENT, "--auth-method", "tls_client_auth",
                   "--client-cert", str(cert), "--client-key", str(key), "--scope", "api:read",
                   "--param", f"resource={TEST_API}")
    assert run.returncode == 0, run.stdout + run.stderr
    token = run.step("token")
    assert token["auth_method"] == "tls_client_auth"
    assert "cert_bound" in codes(token)
    assert token["request"]["url"] == f"{oidc_provider_mtls.issuer}/mtls/token"
    assert "PRIVATE KEY" not in run.stdout + run.stderr


def test_self_signed_tls_client_auth_gets_a_certificate_bound_token(oidc_provider_mtls):
    pki = oidc_provider_mtls.pki
    settings = FlowSettings(issuer=oidc_provider_mtls.issuer, client_id=SELF_SIGNED_CLIENT,
                            auth_method="self_signed_tls_client_auth", scope="api:read", ca_bundle=str(pki.ca_path),
                            client_cert_pem=pki.self_signed.cert_pem, client_key_pem=pki.self_signed.key_pem,
                            timeout=30)
    flow = FlowRunner("client_credentials", settings, FlowEnvironment()).run_all()
    token = flow.step("token")
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    assert [f.code for f in token.findings if f.code.startswith("cert_")] == ["cert_bound"]


def test_a_bound_token_works_with_its_certificate_and_is_refused_without_it(oidc_provider_mtls, cert_files):
    pki = oidc_provider_mtls.pki
    browser = ScriptedBrowser(verify=str(pki.ca_path))
    settings = FlowSettings(issuer=oidc_provider_mtls.issuer, client_id=MTLS_CLIENT, auth_method="tls_client_auth",
                            scope="openid", ca_bundle=str(pki.ca_path), client_cert_pem=pki.client.cert_pem,
                            client_key_pem=pki.client.key_pem, timeout=30)
    try:
        flow = FlowRunner("auth_code", settings, environment(browser)).run_all()
    finally:
        browser.close()
    assert flow.status.value == "ok", [f.message for f in flow.all_findings()]
    assert flow.step("userinfo").output["claims"]["sub"]  # with the certificate, on the mTLS alias
    access_token = flow.step("token").output["token"]["access_token"]

    introspected = run_cli("introspect", access_token, "--issuer", oidc_provider_mtls.issuer, "--client-id",
                           MTLS_CLIENT, "--auth-method", "tls_client_auth", "--client-cert", str(cert_files["client"][0]),
                           "--client-key", str(cert_files["client"][1]), "--ca-bundle", cert_files["ca"], "--json")
    assert codes(introspected.step("introspection"))[-1] == "cert_bound", introspected.stdout + introspected.stderr

    refused = run_cli("userinfo", access_token, "--issuer", oidc_provider_mtls.issuer, "--ca-bundle", cert_files["ca"],
                      "--json")
    assert refused.returncode == 1
    userinfo = refused.step("userinfo")
    assert codes(userinfo) == ["userinfo_error", "invalid_token", "cert_bound_token_maybe"], refused.stdout
    assert userinfo["findings"][-1]["settings"] == ["client_cert_pem", "client_key_pem"]


def test_a_key_that_is_not_the_certificates_is_found_before_sending(oidc_provider_mtls, cert_files):
    cert, _key = cert_files["client"]
    _cert, other_key = cert_files["self_signed"]
    run = cli_flow(oidc_provider_mtls, cert_files, "--client-id", MTLS_CLIENT, "--auth-method", "tls_client_auth",
                   "--client-cert", str(cert), "--client-key", str(other_key))
    assert run.returncode == 1
    assert codes(run.step("discovery")) == ["client_cert_key_mismatch"]
    assert [line["step"] for line in run.lines] == ["discovery", "done"]


def test_an_expired_certificate_is_found_before_sending(oidc_provider_mtls, cert_files, tmp_path):
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=3)
    cert, key = issue("mtls-client", issuer=oidc_provider_mtls.pki.ca, valid_from=past).write(tmp_path, "expired")
    run = cli_flow(oidc_provider_mtls, cert_files, "--client-id", MTLS_CLIENT, "--auth-method", "tls_client_auth",
                   "--client-cert", str(cert), "--client-key", str(key))
    assert run.returncode == 1
    assert codes(run.step("discovery")) == ["client_cert_expired"]


def test_a_certificate_the_provider_does_not_see_is_its_invalid_client_explained(oidc_provider_mtls, cert_files):
    """The token endpoint set by hand is the ordinary one, where this provider (as those taking
    certificates on a host of their own) sees no certificate: the answer says which one was sent
    and where it must arrive."""
    cert, key = cert_files["client"]
    run = run_cli("flow", "client-credentials", "--token-endpoint", f"{oidc_provider_mtls.issuer}/token",
                  "--ca-bundle", cert_files["ca"], "--client-id", MTLS_CLIENT, "--auth-method", "tls_client_auth",
                  "--client-cert", str(cert), "--client-key", str(key), "--scope", "api:read", "--json",
                  "--no-history", "--timeout", "30")
    assert run.returncode == 1
    token = run.step("token")
    assert token["error"] == "invalid_client"
    [message] = [f["message"] for f in token["findings"] if f["severity"] == "error"]
    assert "mtls-client" in message and "must ask for it in the TLS handshake" in message
