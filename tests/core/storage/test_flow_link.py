from types import SimpleNamespace

import pytest

from inspector.core.errors import KeyringUnavailableError
from inspector.core.storage.flow_link import TokenRecorder, profile_settings, settings_from_profile
from inspector.core.storage.profile_model import Profile
from inspector.core.storage.profiles import ProfileStore
from inspector.core.storage.vault import Vault
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring
from tests.support.storage import GatedVault, fake_jwt, memory_storage

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
    storage = memory_storage(tmp_path, keyring)
    record = TokenRecorder(storage, profile="work")
    id_token = fake_jwt({"iss": "https://idp.example", "sub": "alice"})
    record(SimpleNamespace(grant="auth_code"), None,
           {"access_token": "at-opaque", "id_token": id_token, "refresh_token": "rt", "token_type": "Bearer"})  # fmt: skip
    record.finish()
    entries = list(storage.history.entries())
    assert sorted(e.kind for e in entries) == ["access", "id", "refresh"]
    assert {e.source_label for e in entries} == {"work · auth_code"}
    assert storage.history.token(next(e.id for e in entries if e.kind == "id")) == id_token


def test_prepare_opens_the_keyring_on_the_recorders_thread_before_any_token(tmp_path):
    storage = memory_storage(tmp_path)
    storage.vault = vault = GatedVault(MemoryKeyring())
    record = TokenRecorder(storage)
    assert vault.resolved_on == []  # not before the flow asks: its own imports come first
    record.prepare()
    record.prepare()
    vault.gate.set()
    record.finish()
    assert vault.resolved_on == ["history-recorder"]


def test_a_token_handed_over_while_the_keyring_is_still_opening_does_not_wait_and_is_saved(tmp_path):
    storage = memory_storage(tmp_path)
    storage.vault = vault = GatedVault(MemoryKeyring())
    record = TokenRecorder(storage, profile="work")
    record(SimpleNamespace(grant="device"), None, {"access_token": "at"})  # returns with the keyring not found yet
    assert not vault.gate.is_set()
    vault.gate.set()
    record.finish()
    assert [e.source_label for e in storage.history.entries()] == ["work · device"]


def test_recorder_reports_a_refused_save_at_finish_without_stopping_the_flow(tmp_path):
    errors = []
    record = TokenRecorder(memory_storage(tmp_path, LockedKeyring()), on_error=errors.append)
    record(SimpleNamespace(grant="client_credentials"), None, {"access_token": "at"})
    record.finish()
    assert len(errors) == 1 and isinstance(errors[0], KeyringUnavailableError)
    record.finish()
    assert len(errors) == 1
    unreported = TokenRecorder(memory_storage(tmp_path, LockedKeyring()))
    unreported(SimpleNamespace(grant="client_credentials"), None, {"access_token": "at"})
    with pytest.raises(KeyringUnavailableError):
        unreported.finish()


def test_an_unexpected_error_while_saving_is_raised_not_reported_as_a_refused_save(tmp_path):
    class BrokenVault(Vault):
        def get(self, name):
            raise RuntimeError("a bug")

    storage = memory_storage(tmp_path)
    storage.vault = BrokenVault(MemoryKeyring())
    errors = []
    record = TokenRecorder(storage, on_error=errors.append)
    record(SimpleNamespace(grant="refresh"), None, {"access_token": "at"})
    with pytest.raises(RuntimeError, match="a bug"):
        record.finish()
    assert errors == []
