"""All connection settings resolve into one FlowSettings in one function."""

import argparse

from pathlib import Path

from inspector.cli.flow_settings import add_connection_arguments, resolve_settings
from tests.support.keys import certificate_pem, ec_private, private_pem


def parse(*args):
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    parser.add_argument("--no-pkce", action="store_true")
    parser.add_argument("--redirect-port", type=int, default=0)
    parser.add_argument("--no-browser", action="store_true")
    return parser.parse_args(list(args))


def test_every_setting_lands_in_one_object(tmp_path):
    key = tmp_path / "k.pem"
    key.write_bytes(private_pem(ec_private()))
    ca = str(tmp_path / "ca.pem")
    Path(ca).write_bytes(certificate_pem(ec_private()))
    settings = resolve_settings(parse(
        "--issuer", "https://op", "--client-id", "app", "--client-secret", "sec-XYZ", "--auth-method", "client_secret_post",
        "--key", str(key), "--key-id", "k1", "--scope", "openid email", "--param", "prompt=login",
        "--param", "resource=https://api", "--ca-bundle", ca, "--timeout", "9", "--allow-http", "--no-pkce",
        "--redirect-port", "8765", "--no-browser"), token="tok-ABC")
    assert (settings.issuer, settings.client_id, settings.client_secret, settings.auth_method) == \
        ("https://op", "app", "sec-XYZ", "client_secret_post")
    assert settings.private_key_pem == key.read_bytes() and settings.key_id == "k1"
    assert settings.scope == "openid email"
    assert settings.extra_params == {"prompt": "login", "resource": "https://api"}
    assert (settings.ca_bundle, settings.timeout, settings.allow_http) == (ca, 9.0, True)
    assert (settings.use_pkce, settings.redirect_port, settings.open_browser) == (False, 8765, False)
    assert settings.token == "tok-ABC"
    assert "sec-XYZ" not in repr(settings) and "tok-ABC" not in repr(settings) and "PRIVATE" not in repr(settings)


def test_defaults_are_safe():
    settings = resolve_settings(parse("--issuer", "https://op", "--client-id", "app"))
    assert settings.use_pkce and settings.open_browser and not settings.allow_http
    assert settings.redirect_host == "127.0.0.1" and settings.redirect_port == 0
    assert settings.auth_method is None and settings.client_secret is None


def test_endpoints_given_by_hand_replace_the_issuer_requirement():
    settings = resolve_settings(parse("--token-endpoint", "https://as/token", "--jwks-uri", "https://as/keys",
                                      "--client-id", "app"))
    assert settings.issuer == ""
    assert settings.endpoints == {"token_endpoint": "https://as/token", "jwks_uri": "https://as/keys"}


def test_every_endpoint_has_an_option_and_the_help_says_it_replaces_discovery():
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    text = parser.format_help()
    for option in ("--authorization-endpoint", "--token-endpoint", "--device-authorization-endpoint",
                   "--userinfo-endpoint", "--introspection-endpoint", "--revocation-endpoint", "--jwks-uri"):
        assert option in text
    assert "replaces discovery" in " ".join(text.split())


def test_a_client_certificate_and_key_are_read_from_their_files(tmp_path):
    from tests.support.mtls import issue

    cert, key = issue("mtls-client").write(tmp_path, "client")
    settings = resolve_settings(parse("--issuer", "https://op", "--client-id", "app", "--auth-method", "tls_client_auth",
                                      "--client-cert", str(cert), "--client-key", str(key)))
    assert (settings.client_cert_pem, settings.client_key_pem) == (cert.read_bytes(), key.read_bytes())
    assert "PRIVATE" not in repr(settings)


def test_tls_client_auth_without_a_certificate_names_the_options(tmp_path):
    import pytest

    from inspector.core.errors import InspectorError

    with pytest.raises(InspectorError) as caught:
        resolve_settings(parse("--issuer", "https://op", "--client-id", "app", "--auth-method", "tls_client_auth"))
    assert "--client-cert PEM" in caught.value.message and "--client-key PEM" in caught.value.message
