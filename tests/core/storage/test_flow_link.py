from types import SimpleNamespace

import pytest

from inspector.core.errors import KeyringUnavailableError
from inspector.core.storage.flow_link import profile_settings, settings_from_profile, token_recorder
from inspector.core.storage.history import HistoryStore
from inspector.core.storage.profile_model import Profile
from inspector.core.storage.profiles import ProfileStore
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import LockedKeyring
from tests.support.storage import fake_jwt

PEM = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def profiles(tmp_path, keyring):
    return ProfileStore(tmp_path / "profiles.json", Vault(keyring))


def test_profile_fields_become_flow_settings(profiles):
    profiles.add(Profile(name="work", issuer="https://idp.example", client_id="web", scopes=("openid", "email"),
                         redirect_host="localhost", redirect_port=8765, redirect_path="/cb",
                         extra_params={"prompt": "login"}, ca_bundle="/etc/ca.pem"),
                 secrets={"client_secret": "s3cret"})  # fmt: skip
    values = settings_from_profile(profiles, "WORK")
    assert values == {
        "issuer": "https://idp.example", "endpoints": {}, "client_id": "web", "auth_method": "auto",
        "scope": "openid email", "redirect_host": "localhost", "redirect_port": 8765, "redirect_path": "/cb",
        "ca_bundle": "/etc/ca.pem", "extra_params": {"prompt": "login"}, "client_secret": "s3cret",
    }  # fmt: skip


def test_values_fit_the_flow_settings_record(profiles):
    from inspector.core.flows.settings import FlowSettings

    profiles.add(Profile(name="key", issuer="https://idp.example", client_id="svc", auth_method="private_key_jwt"),
                 secrets={"private_key": PEM})  # fmt: skip
    settings = FlowSettings(**settings_from_profile(profiles, "key"))
    assert settings.private_key_pem == PEM.encode() and settings.problems() == []


def test_secrets_the_caller_supplies_are_not_fetched(tmp_path, keyring):
    ProfileStore(tmp_path / "p.json", Vault(keyring)).add(
        Profile(name="work", issuer="https://idp.example"), secrets={"client_secret": "s3cret"}
    )
    locked = ProfileStore(tmp_path / "p.json", Vault(LockedKeyring()))
    assert "client_secret" not in settings_from_profile(locked, "work", with_client_secret=False)
    with pytest.raises(KeyringUnavailableError):
        settings_from_profile(locked, "work")


def test_every_profile_method_is_one_flows_perform(profiles):
    from inspector.core.flows.settings import FlowSettings

    profiles.add(Profile(name="jwt", issuer="https://idp.example", auth_method="client_secret_jwt"),
                 secrets={"client_secret": "s" * 40})
    settings = FlowSettings(**settings_from_profile(profiles, "jwt"))
    assert settings.auth_method == "client_secret_jwt" and settings.problems() == []


def test_endpoints_set_by_hand_become_flow_settings_without_an_issuer(profiles):
    from inspector.core.flows.settings import FlowSettings

    endpoints = {"token_endpoint": "https://as.example/token", "jwks_uri": "https://as.example/keys"}
    profiles.add(Profile(name="manual", endpoints=endpoints, client_id="svc"), secrets={"client_secret": "s3"})
    settings = FlowSettings(**settings_from_profile(profiles, "manual"))
    assert (settings.issuer, settings.endpoints, settings.client_secret) == ("", endpoints, "s3")
    assert settings.problems() == []


def test_profile_settings_maps_a_profile_and_its_secrets_without_a_store():
    profile = Profile(name="p", issuer="https://idp.example", auth_method="private_key_jwt")
    values = profile_settings(profile, {"private_key": PEM})
    assert values["private_key_pem"] == PEM.encode() and "client_secret" not in values


def test_recorder_saves_each_token_of_a_response_with_its_kind(tmp_path, keyring):
    history = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    record = token_recorder(history, profile="work")
    id_token = fake_jwt({"iss": "https://idp.example", "sub": "alice"})
    saved = record(SimpleNamespace(grant="auth_code"), None,
                   {"access_token": "at-opaque", "id_token": id_token, "refresh_token": "rt", "token_type": "Bearer"})  # fmt: skip
    entries = list(history.entries())
    assert {e.id for e in saved} == {e.id for e in entries}, "the saved entries are returned (the GUI counts them)"
    assert sorted(e.kind for e in entries) == ["access", "id", "refresh"]
    assert {e.source_label for e in entries} == {"work · auth_code"}
    assert history.token(next(e.id for e in entries if e.kind == "id")) == id_token


def test_recorder_gives_an_opaque_access_token_the_expiry_of_its_response(tmp_path, keyring):
    history = HistoryStore(tmp_path / "history.bin", Vault(keyring), clock=lambda: 1_700_000_000.0)
    token_recorder(history)(SimpleNamespace(grant="client_credentials"), None,
                            {"access_token": "at-opaque", "token_type": "Bearer", "expires_in": 3600})
    [entry] = history.entries()
    assert entry.expires == 1_700_003_600.0


def test_recorder_reports_a_refused_save_without_stopping_the_flow(tmp_path):
    errors = []
    record = token_recorder(HistoryStore(tmp_path / "history.bin", Vault(LockedKeyring())), on_error=errors.append)
    assert record(SimpleNamespace(grant="client_credentials"), None, {"access_token": "at"}) == []
    assert len(errors) == 1 and isinstance(errors[0], KeyringUnavailableError)
    with pytest.raises(KeyringUnavailableError):
        token_recorder(HistoryStore(tmp_path / "history.bin", Vault(LockedKeyring())))(
            SimpleNamespace(grant="client_credentials"), None, {"access_token": "at"}
        )


def test_exp_of_10_to_309_in_a_flow_token_is_saved_to_the_history(tmp_path, keyring):
    history = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    access_token = fake_jwt({"iss": "https://idp.example", "sub": "alice", "exp": 10**309}, {"alg": "RS256",
                                                                                                "typ": "at+jwt"})
    token_recorder(history)(SimpleNamespace(grant="client_credentials"), None, {"access_token": access_token})
    [entry] = history.entries()
    assert entry.kind == "access" and entry.expires is None and history.token(entry.id) == access_token
