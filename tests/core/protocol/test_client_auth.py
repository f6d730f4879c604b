import base64

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.warnings import InsecureKeyLengthWarning

from inspector.core.errors import KeySourceError
from inspector.core.protocol.client_auth import (
    apply_client_auth, basic_authorization, choose_auth_method, load_signing_key,
)


def pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def test_basic_form_urlencodes_id_and_secret_before_base64():
    header = basic_authorization("my client", "p:ss/wörd+")
    decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    assert decoded == "my+client:p%3Ass%2Fw%C3%B6rd%2B"


def test_choose_defaults():
    assert choose_auth_method(None, has_secret=True, has_key=False) == "client_secret_basic"
    assert choose_auth_method(None, has_secret=True, has_key=False,
                              supported=["client_secret_post"]) == "client_secret_post"
    assert choose_auth_method(None, has_secret=True, has_key=False,
                              supported=["client_secret_post", "client_secret_basic"]) == "client_secret_basic"
    assert choose_auth_method(None, has_secret=False, has_key=True) == "private_key_jwt"
    assert choose_auth_method(None, has_secret=False, has_key=False) == "none"
    assert choose_auth_method("client_secret_post", has_secret=True, has_key=False) == "client_secret_post"


def test_methods_put_credentials_where_they_belong():
    form, headers = {}, {}
    apply_client_auth("client_secret_post", form, headers, client_id="c", secret="s", audience="https://op")
    assert form == {"client_id": "c", "client_secret": "s"} and headers == {}
    form, headers = {}, {}
    apply_client_auth("none", form, headers, client_id="c", audience="https://op")
    assert form == {"client_id": "c"} and headers == {}
    form, headers = {}, {}
    apply_client_auth("client_secret_basic", form, headers, client_id="c", secret="s", audience="https://op")
    assert form == {} and headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize("make, alg", [(lambda: ec.generate_private_key(ec.SECP256R1()), "ES256"),
                                       (lambda: rsa.generate_private_key(65537, 2048), "RS256")])
def test_private_key_jwt_assertion_is_signed_and_short_lived(make, alg):
    key = make()
    form, headers = {}, {}
    apply_client_auth("private_key_jwt", form, headers, client_id="c", key_pem=pem(key), key_id="k1",
                      audience="https://op.example", now=lambda: 1_700_000_000, random=lambda n: "jti-" + str(n))
    assertion = form["client_assertion"]
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert jwt.get_unverified_header(assertion) == {"alg": alg, "kid": "k1", "typ": "JWT"}
    claims = jwt.decode(assertion, key.public_key(), algorithms=[alg], audience="https://op.example",
                        options={"verify_exp": False})
    assert claims == {"iss": "c", "sub": "c", "aud": "https://op.example", "jti": "jti-32",
                      "iat": 1_700_000_000, "exp": 1_700_000_060}
    assert headers == {}


def test_bad_private_key_is_a_key_source_error():
    with pytest.raises(KeySourceError, match="PEM private key"):
        load_signing_key(b"not a key")


@pytest.mark.parametrize("requested", [None, "auto"])
def test_auto_follows_the_rule_of_issue_3(requested):
    def choose(**kwargs):
        return choose_auth_method(requested, **{"has_secret": False, "has_key": False, **kwargs})

    assert choose(has_secret=True) == "client_secret_basic"
    assert choose(has_secret=True, supported=["client_secret_post", "private_key_jwt"]) == "client_secret_post"
    assert choose(has_secret=True, supported=["client_secret_basic", "client_secret_post"]) == "client_secret_basic"
    assert choose() == "none"
    assert choose(has_key=True) == "private_key_jwt"
    assert choose(has_key=True, has_secret=True) == "private_key_jwt"


LONG_SECRET = "a-client-secret-of-forty-two-bytes-0123456"


def test_client_secret_jwt_assertion_is_an_hmac_over_the_secret():
    form, headers = {}, {}
    notes = apply_client_auth("client_secret_jwt", form, headers, client_id="c", secret=LONG_SECRET,
                              audience="https://op.example", now=lambda: 1_700_000_000, random=lambda n: "jti")
    assert notes == [] and headers == {} and "client_secret" not in form
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assertion = form["client_assertion"]
    assert jwt.get_unverified_header(assertion) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(assertion, LONG_SECRET.encode(), algorithms=["HS256"], audience="https://op.example",
                        options={"verify_exp": False})
    assert claims == {"iss": "c", "sub": "c", "aud": "https://op.example", "jti": "jti",
                      "iat": 1_700_000_000, "exp": 1_700_000_060}


def test_client_secret_jwt_uses_a_stronger_hmac_only_when_the_provider_lists_only_those():
    form = {}
    apply_client_auth("client_secret_jwt", form, {}, client_id="c", secret=LONG_SECRET * 2, audience="a",
                      signing_algs=["HS512", "RS256"])
    assert jwt.get_unverified_header(form["client_assertion"])["alg"] == "HS512"
    apply_client_auth("client_secret_jwt", form, {}, client_id="c", secret=LONG_SECRET, audience="a",
                      signing_algs=["HS256", "HS512"])
    assert jwt.get_unverified_header(form["client_assertion"])["alg"] == "HS256"


def test_a_short_secret_still_signs_but_is_a_warning_finding_not_a_python_warning():
    form = {}
    [note] = apply_client_auth("client_secret_jwt", form, {}, client_id="c", secret="short", audience="a")
    assert note.code == "client_secret_short" and note.severity.value == "warning" and "RFC 7518" in note.message
    with pytest.warns(InsecureKeyLengthWarning):  # PyJWT's own warning, when the test checks the HMAC
        claims = jwt.decode(form["client_assertion"], b"short", algorithms=["HS256"], audience="a",
                            options={"verify_exp": False})
    assert claims["iss"] == "c"


def test_auto_prefers_client_secret_jwt_when_it_is_the_only_secret_method_listed():
    assert choose_auth_method("auto", has_secret=True, has_key=False,
                              supported=["client_secret_jwt", "private_key_jwt"]) == "client_secret_jwt"


def test_auto_with_only_a_client_certificate_is_tls_client_auth_or_the_self_signed_one_listed_alone():
    from inspector.core.protocol.client_auth import choose_auth_method

    assert choose_auth_method(None, has_secret=False, has_key=False, has_certificate=True) == "tls_client_auth"
    assert choose_auth_method("auto", has_secret=False, has_key=False, has_certificate=True,
                              supported=["self_signed_tls_client_auth", "none"]) == "self_signed_tls_client_auth"
    assert choose_auth_method(None, has_secret=True, has_key=False, has_certificate=True) == "client_secret_basic"


@pytest.mark.parametrize("method", ["tls_client_auth", "self_signed_tls_client_auth"])
def test_mtls_methods_send_only_the_client_id_the_certificate_is_on_the_connection(method):
    from inspector.core.protocol.client_auth import apply_client_auth

    form, headers = {"grant_type": "client_credentials"}, {}
    assert apply_client_auth(method, form, headers, client_id="svc", secret="unused", audience="https://op") == []
    assert form == {"grant_type": "client_credentials", "client_id": "svc"} and headers == {}
