import pytest

from inspector.core.errors import StorageError
from inspector.core.storage.profile_model import Profile, merged, validate


def profile(**changes):
    values = {"name": "work", "issuer": "https://idp.example/realms/main", "client_id": "web"}
    values.update(changes)
    return Profile(**values)


def test_defaults_are_the_safe_loopback_redirect_and_openid_scope():
    p = validate(profile())
    assert p.redirect_uri == "http://127.0.0.1:0/callback"
    assert p.scopes == ("openid",) and p.auth_method == "auto"


def test_manual_endpoints_without_issuer_are_accepted():
    p = validate(Profile(name="legacy", endpoints={"authorization_endpoint": "https://as.example/authorize",
                                                  "token_endpoint": "https://as.example/token"}))  # fmt: skip
    assert p.issuer == ""


def test_plain_http_is_allowed_for_a_local_provider_only():
    validate(profile(issuer="http://127.0.0.1:3000"))
    validate(profile(issuer="http://localhost:8080/realms/dev"))
    with pytest.raises(StorageError, match="plain http is allowed only for localhost"):
        validate(profile(issuer="http://idp.example"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Profile name '' is not allowed"),
        ({"name": "a/b"}, "is not allowed"),
        ({"name": "x" * 65}, "is not allowed"),
        ({"issuer": "idp.example"}, "must be an absolute https URL, not 'idp.example'"),
        ({"issuer": "ftp://idp.example"}, "absolute https URL"),
        ({"issuer": "https://idp.example:99999"}, "absolute https URL"),
        ({"issuer": "https://idp.example/?tenant=1"}, "must not have a query or fragment"),
        ({"issuer": "", "endpoints": {}}, "needs an issuer URL"),
        ({"endpoints": {"token": "https://idp.example/token"}}, "Unknown endpoint 'token'"),
        ({"endpoints": {"jwks_uri": "not a url"}}, "jwks_uri"),
        ({"auth_method": "magic"}, "Unknown client authentication method 'magic'"),
        ({"scopes": ("openid", "bad scope")}, "Scopes"),
        ({"scopes": ('quo"te',)}, "Scopes"),
        ({"redirect_host": "0.0.0.0"}, "Redirect host '0.0.0.0' is not allowed"),
        ({"redirect_port": 70000}, "Redirect port 70000 is not a port"),
        ({"redirect_port": -1}, "is not a port"),
        ({"redirect_port": "8080"}, "is not a port"),
        ({"redirect_path": "callback"}, "must start with '/'"),
        ({"redirect_path": "/cb?x=1"}, "no spaces, query or fragment"),
        ({"extra_params": {"state": "fixed"}}, "cannot override state"),
        ({"extra_params": {"prompt": 1}}, "text names and values"),
        ({"secrets": ("password",)}, "Unknown secret kinds"),
        ({"resources": ("https://api.example#x",)}, "the resource 'https://api.example#x' has a fragment"),
        ({"resources": ("api",)}, "the resource 'api' is not an absolute URI"),
        ({"resources": (7,)}, "Resources of 'work' must be a list of URIs"),
    ],
)
def test_invalid_fields_get_a_message_naming_the_problem(changes, message):
    with pytest.raises(StorageError, match=message) as caught:
        validate(profile(**changes))
    assert caught.value.code == "invalid_profile"


def test_json_round_trip():
    p = validate(profile(scopes=("openid", "email"), extra_params={"prompt": "login"}, notes="staging",
                         resources=("https://api.example", "urn:example:b")))
    assert p.to_json()["resources"] == ["https://api.example", "urn:example:b"]
    assert Profile.from_json(p.to_json()) == p


def test_from_json_rejects_unknown_and_missing_fields():
    with pytest.raises(StorageError, match="unknown fields: client_secret"):
        Profile.from_json({**profile().to_json(), "client_secret": "oops"})
    with pytest.raises(StorageError, match="incomplete"):
        Profile.from_json({"issuer": "https://idp.example"})
    with pytest.raises(StorageError, match="JSON object"):
        Profile.from_json(["work"])


def test_merged_validates_the_result():
    assert merged(profile(), {"client_id": "cli"}).client_id == "cli"
    with pytest.raises(StorageError):
        merged(profile(), {"redirect_port": 123456})


def test_profiles_offer_auto_and_exactly_the_methods_and_endpoints_flows_use():
    from inspector.core.protocol import client_auth, endpoints
    from inspector.core.storage import profile_model

    assert profile_model.AUTH_METHODS == ("auto", *client_auth.AUTH_METHODS)
    assert profile_model.ENDPOINTS is endpoints.ENDPOINTS


@pytest.mark.parametrize("field", ["scopes", "secrets"])
@pytest.mark.parametrize("value", [7, "openid email", {"a": 1}, None])
def test_a_scopes_or_secrets_field_that_is_not_a_list_is_a_damaged_profile_not_a_type_error(field, value):
    """A hand-edited profiles file with "scopes": 7 ended in 'unexpected internal error'
    (TypeError), and "scopes": "openid email" was taken letter by letter."""
    data = {"name": "work", "issuer": "https://idp.example", field: value}
    with pytest.raises(StorageError, match="must be lists"):
        Profile.from_json(data)


@pytest.mark.parametrize("url", ["http://[::1", "https://[not-an-ip]/x", "https://op.example:99999/"])
def test_an_unparseable_issuer_or_endpoint_url_is_an_invalid_profile_not_a_value_error(url):
    """urlsplit raises ValueError for a broken IPv6 literal; it escaped as an internal error."""
    with pytest.raises(StorageError, match="absolute https URL"):
        validate(profile(issuer=url))
    with pytest.raises(StorageError, match="absolute https URL"):
        validate(profile(endpoints={"token_endpoint": url}))


@pytest.mark.parametrize("url", ["https://web:hunter2-secret@idp.example/token",
                                 "https://idp.example/token?client_secret=hunter2-secret",
                                 "https://web@idp.example/token"])
def test_an_endpoint_url_carrying_credentials_is_refused_so_they_never_reach_the_profiles_file(url):
    """profiles.json is plain text: a password typed into a URL would have been saved as written."""
    with pytest.raises(StorageError, match="carries credentials") as caught:
        validate(profile(endpoints={"token_endpoint": url}))
    assert "hunter2" not in str(caught.value)
    with pytest.raises(StorageError, match="carries credentials"):
        validate(profile(issuer=url.replace("/token", "")))


@pytest.mark.parametrize("text", [
    "not a certificate",
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
])  # fmt: skip
def test_the_client_certificate_field_takes_a_certificate_and_never_a_key(text):
    with pytest.raises(StorageError) as caught:
        validate(Profile(name="p", issuer="https://idp.example", client_cert=text))
    assert "keyring" in caught.value.message


@pytest.mark.parametrize("use_par", [None, True, False])
def test_the_pushed_requests_choice_round_trips_and_is_left_out_when_it_follows_the_provider(use_par):
    p = validate(profile(use_par=use_par))
    assert Profile.from_json(p.to_json()) == p
    assert ("use_par" in p.to_json()) is (use_par is not None)


def test_a_pushed_requests_choice_that_is_not_true_false_or_absent_is_refused():
    with pytest.raises(StorageError, match="use_par of 'work' must be true, false or absent"):
        Profile.from_json({**profile().to_json(), "use_par": "yes"})
