from types import SimpleNamespace

import pytest

from inspector.core.errors import KeyringUnavailableError
from inspector.core.flows.settings import FlowSettings
from inspector.core.storage.flow_link import HistoryRecorder, profile_settings, settings_from_profile, token_recorder
from inspector.core.storage.history import HistoryStore
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
                         extra_params={"prompt": "login"}, ca_bundle="/etc/ca.pem", resources=("urn:api",)),
                 secrets={"client_secret": "s3cret"})  # fmt: skip
    settings = settings_from_profile(profiles, "WORK")
    assert settings == FlowSettings(
        issuer="https://idp.example", endpoints={}, client_id="web", auth_method="auto",
        scope="openid email", redirect_host="localhost", redirect_port=8765, redirect_path="/cb",
        ca_bundle="/etc/ca.pem", extra_params={"prompt": "login"}, client_secret="s3cret", resource=["urn:api"],
    )  # fmt: skip


def test_a_private_key_from_the_keyring_becomes_the_settings_pem(profiles):
    profiles.add(Profile(name="key", issuer="https://idp.example", client_id="svc", auth_method="private_key_jwt"),
                 secrets={"private_key": PEM})  # fmt: skip
    settings = settings_from_profile(profiles, "key")
    assert settings.private_key_pem == PEM.encode() and settings.problems() == []


def test_secrets_the_caller_supplies_are_not_fetched(tmp_path, keyring):
    ProfileStore(tmp_path / "p.json", Vault(keyring)).add(
        Profile(name="work", issuer="https://idp.example"), secrets={"client_secret": "s3cret"}
    )
    locked = ProfileStore(tmp_path / "p.json", Vault(LockedKeyring()))
    assert settings_from_profile(locked, "work", with_client_secret=False).client_secret is None
    with pytest.raises(KeyringUnavailableError):
        settings_from_profile(locked, "work")


def test_every_profile_method_is_one_flows_perform(profiles):
    profiles.add(Profile(name="jwt", issuer="https://idp.example", auth_method="client_secret_jwt"),
                 secrets={"client_secret": "s" * 40})
    settings = settings_from_profile(profiles, "jwt")
    assert settings.auth_method == "client_secret_jwt" and settings.problems() == []


def test_endpoints_set_by_hand_become_flow_settings_without_an_issuer(profiles):
    endpoints = {"token_endpoint": "https://as.example/token", "jwks_uri": "https://as.example/keys"}
    profiles.add(Profile(name="manual", endpoints=endpoints, client_id="svc"), secrets={"client_secret": "s3"})
    settings = settings_from_profile(profiles, "manual")
    assert (settings.issuer, settings.endpoints, settings.client_secret) == ("", endpoints, "s3")
    assert settings.problems() == []


def test_profile_settings_maps_a_profile_and_its_secrets_without_a_store():
    profile = Profile(name="p", issuer="https://idp.example", auth_method="private_key_jwt")
    settings = profile_settings(profile, {"private_key": PEM})
    assert settings.private_key_pem == PEM.encode() and settings.client_secret is None


def test_settings_carry_every_profile_field_and_the_token_to_act_on():
    profile = Profile("acme", issuer="https://login.acme.dev", client_id="web", auth_method="private_key_jwt",
                      scopes=("openid", "email"), redirect_port=53817, redirect_path="/cb",
                      extra_params={"prompt": "login"}, ca_bundle="/etc/ca.pem")
    settings = profile_settings(profile, {"private_key": "-----BEGIN PRIVATE KEY-----"}, token="t")
    assert (settings.issuer, settings.client_id, settings.auth_method) == ("https://login.acme.dev", "web",
                                                                           "private_key_jwt")
    assert settings.scope == "openid email" and settings.extra_params == {"prompt": "login"}
    assert (settings.redirect_port, settings.redirect_path, settings.ca_bundle) == (53817, "/cb", "/etc/ca.pem")
    assert settings.private_key_pem == b"-----BEGIN PRIVATE KEY-----" and settings.token == "t"
    assert settings.problems() == []
    assert profile_settings(profile, {}, token="").token is None  # an empty token box is no token


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


# -- the CLI's recorder: saves on a thread of its own, so the flow never waits for the keyring ----

def test_recorder_saves_each_token_of_a_response_with_its_kind_on_its_thread(tmp_path, keyring):
    storage = memory_storage(tmp_path, keyring)
    record = HistoryRecorder(storage, profile="work")
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
    record = HistoryRecorder(storage)
    assert vault.resolved_on == []  # not before the flow asks: its own imports come first
    record.prepare()
    record.prepare()
    vault.gate.set()
    record.finish()
    assert vault.resolved_on == ["history-recorder"]


def test_a_token_handed_over_while_the_keyring_is_still_opening_does_not_wait_and_is_saved(tmp_path):
    storage = memory_storage(tmp_path)
    storage.vault = vault = GatedVault(MemoryKeyring())
    record = HistoryRecorder(storage, profile="work")
    record(SimpleNamespace(grant="device"), None, {"access_token": "at"})  # returns with the keyring not found yet
    assert not vault.gate.is_set()
    vault.gate.set()
    record.finish()
    assert [e.source_label for e in storage.history.entries()] == ["work · device"]


def test_an_access_tokens_expiry_counts_from_its_arrival_not_from_when_the_keyring_opened(tmp_path, monkeypatch):
    """The save waited for the keyring, then counted expires_in from then: the token looked valid longer."""
    import time

    storage = memory_storage(tmp_path)
    storage.vault = vault = GatedVault(MemoryKeyring())
    record = HistoryRecorder(storage)
    record(SimpleNamespace(grant="device"), None, {"access_token": "at-opaque", "expires_in": 300})
    arrived = time.time()
    monkeypatch.setattr(time, "time", lambda: arrived + 3600)  # the keyring took an hour to unlock
    vault.gate.set()
    record.finish()
    (entry,) = storage.history.entries()
    assert entry.expires is not None and entry.expires <= arrived + 300


def test_recorder_reports_a_refused_save_at_finish_without_stopping_the_flow(tmp_path):
    errors = []
    record = HistoryRecorder(memory_storage(tmp_path, LockedKeyring()), on_error=errors.append)
    record(SimpleNamespace(grant="client_credentials"), None, {"access_token": "at"})
    record.finish()
    assert len(errors) == 1 and isinstance(errors[0], KeyringUnavailableError)
    record.finish()
    assert len(errors) == 1
    unreported = HistoryRecorder(memory_storage(tmp_path, LockedKeyring()))
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
    record = HistoryRecorder(storage, on_error=errors.append)
    record(SimpleNamespace(grant="refresh"), None, {"access_token": "at"})
    with pytest.raises(RuntimeError, match="a bug"):
        record.finish()
    assert errors == []


def test_finish_saves_the_flows_record_after_its_tokens_and_announces_it(tmp_path):
    from tests.support.fake_provider import client_credentials_flow

    storage = memory_storage(tmp_path)
    saved = []
    record = HistoryRecorder(storage, profile="svc", issuer="https://op.example", on_flow_saved=saved.append)
    flow = client_credentials_flow()
    record(flow, None, {"access_token": "at-opaque", "token_type": "Bearer"})
    record.finish(flow)
    entries = list(storage.history.entries())
    assert sorted(entry.kind for entry in entries) == ["access", "flow"]
    [flow_entry] = [entry for entry in entries if entry.is_flow]
    assert saved == [flow_entry] and flow_entry.issuer == "https://op.example"


def test_a_refused_keyring_is_reported_once_for_the_tokens_and_the_record(tmp_path):
    from tests.support.fake_provider import client_credentials_flow

    errors, saved = [], []
    record = HistoryRecorder(memory_storage(tmp_path, LockedKeyring()), on_error=errors.append,
                             on_flow_saved=saved.append)
    flow = client_credentials_flow()
    record(flow, None, {"access_token": "at"})
    record.finish(flow)
    assert len(errors) == 1 and isinstance(errors[0], KeyringUnavailableError) and saved == []


def test_a_client_certificate_from_the_profile_and_its_key_from_the_keyring_become_settings(profiles, tmp_path):
    from tests.support.mtls import issue

    client = issue("mtls-client")
    profiles.add(Profile(name="mtls", issuer="https://idp.example", client_id="svc", auth_method="tls_client_auth",
                         client_cert=client.cert_pem.decode()), secrets={"client_key": client.key_pem.decode()})
    settings = settings_from_profile(profiles, "mtls")
    assert (settings.client_cert_pem, settings.client_key_pem) == (client.cert_pem, client.key_pem)
    assert settings.problems() == []
    assert settings_from_profile(profiles, "mtls", with_client_key=False).client_key_pem is None


def test_recorder_keeps_the_flows_dpop_key_with_bound_tokens_only(tmp_path, keyring):
    history = HistoryStore(tmp_path / "history.bin", Vault(keyring))
    record = token_recorder(history)
    key = '{"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "d": "private-part"}'
    id_token = fake_jwt({"iss": "https://idp.example", "sub": "alice"})
    record(SimpleNamespace(grant="auth_code", dpop_key=key), None,
           {"access_token": "at-bound", "refresh_token": "rt-bound", "id_token": id_token, "token_type": "DPoP"})
    record(SimpleNamespace(grant="auth_code", dpop_key=key), None, {"access_token": "at-plain", "token_type": "Bearer"})
    keys = {history.token(entry.id): history.dpop_key(entry.id) for entry in history.entries()}
    assert keys == {"at-bound": key, "rt-bound": key, id_token: None, "at-plain": None}


@pytest.mark.parametrize("use_par", [None, True, False])
def test_the_profiles_pushed_requests_choice_becomes_the_flow_setting(use_par):
    profile = Profile(name="work", issuer="https://idp.example", use_par=use_par)
    assert profile_settings(profile, {}).use_par is use_par
