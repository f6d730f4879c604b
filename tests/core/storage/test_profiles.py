import json

import pytest

from inspector.core.errors import KeyringUnavailableError, ProfileNotFoundError, StorageError
from inspector.core.storage.profile_model import Profile
from inspector.core.storage.profiles import FILE_VERSION, ProfileStore
from inspector.core.storage.vault import SERVICE, Vault
from tests.support.memory_keyring import LockedKeyring, MemoryKeyring

SECRET = "s3cret-Client-Value-0123456789"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "config" / "profiles.json"


@pytest.fixture
def store(path, keyring):
    return ProfileStore(path, Vault(keyring))


def work(**changes):
    values = {"name": "work", "issuer": "https://idp.example", "client_id": "web"}
    values.update(changes)
    return Profile(**values)


def test_added_profiles_are_listed_by_name_and_persist(path, keyring, store):
    store.add(work(name="zeta"))
    store.add(work(name="Alpha"))
    assert [p.name for p in ProfileStore(path, Vault(keyring)).list()] == ["Alpha", "zeta"]


def test_file_is_versioned_readable_json(path, store):
    store.add(work(notes="für Tests"))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == FILE_VERSION
    assert document["profiles"][0]["issuer"] == "https://idp.example"
    assert "für Tests" in path.read_text(encoding="utf-8") and "\n  " in path.read_text(encoding="utf-8")


def test_secrets_go_to_the_keyring_only(path, keyring, store):
    saved = store.add(work(auth_method="private_key_jwt"), secrets={"client_secret": SECRET, "private_key": PEM})
    assert saved.secrets == ("client_secret", "private_key")
    assert keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET
    assert store.secret("work", "client_secret") == SECRET and store.secret("work", "private_key") == PEM
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "PRIVATE KEY" not in text


def test_names_are_unique_ignoring_case_and_lookup_ignores_case(store):
    store.add(work())
    with pytest.raises(StorageError, match="already exists"):
        store.add(work(name="WORK"))
    assert store.get("Work").name == "work"


def test_unknown_profile_is_a_clear_error(store):
    with pytest.raises(ProfileNotFoundError, match="no profile named 'nope'") as caught:
        store.get("nope")
    assert "profile list" in caught.value.hint


def test_update_changes_only_given_fields(store):
    store.add(work(scopes=("openid", "email")))
    updated = store.update("work", {"client_id": "cli", "redirect_port": 8765})
    assert (updated.client_id, updated.redirect_port, updated.scopes) == ("cli", 8765, ("openid", "email"))
    assert store.get("work") == updated


def test_invalid_update_changes_nothing(path, store):
    store.add(work())
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a port"):
        store.update("work", {"redirect_port": 99999})
    assert path.read_bytes() == before


def test_rename_moves_the_secrets(keyring, store):
    store.add(work(), secrets={"client_secret": SECRET})
    store.update("work", {"name": "prod"})
    assert keyring.entries == {(SERVICE, "profile/prod/client_secret"): SECRET}
    assert store.secret("prod", "client_secret") == SECRET


def test_secrets_can_be_replaced_and_removed(keyring, store):
    store.add(work(), secrets={"client_secret": SECRET})
    store.update("work", {}, secrets={"client_secret": "new-secret"})
    assert store.secret("work", "client_secret") == "new-secret"
    updated = store.update("work", {}, secrets={"client_secret": None})
    assert updated.secrets == () and keyring.entries == {}


def test_remove_deletes_the_profile_and_its_secrets(keyring, store):
    store.add(work(), secrets={"client_secret": SECRET})
    store.add(work(name="other"))
    store.remove("WORK")
    assert [p.name for p in store.list()] == ["other"] and keyring.entries == {}


def test_without_a_keyring_profiles_work_but_secrets_are_refused(path):
    store = ProfileStore(path, Vault(LockedKeyring()))
    store.add(work())
    with pytest.raises(KeyringUnavailableError) as caught:
        store.add(work(name="second"), secrets={"client_secret": SECRET})
    assert "unlock" in caught.value.hint
    assert [p.name for p in store.list()] == ["work"]
    assert SECRET not in path.read_text(encoding="utf-8")


def test_removing_with_a_locked_keyring_needs_keep_secrets(path, keyring):
    ProfileStore(path, Vault(keyring)).add(work(), secrets={"client_secret": SECRET})
    locked = ProfileStore(path, Vault(LockedKeyring()))
    with pytest.raises(KeyringUnavailableError):
        locked.remove("work")
    assert locked.get("work")
    locked.remove("work", keep_secrets=True)
    assert locked.list() == []


def test_empty_secret_is_refused(store):
    with pytest.raises(StorageError, match="client secret is empty"):
        store.add(work(), secrets={"client_secret": ""})


def test_export_has_no_secrets_and_imports_elsewhere(keyring, store, tmp_path):
    store.add(work(), secrets={"client_secret": SECRET})
    exported = store.export()
    assert SECRET not in exported and json.loads(exported)["profiles"][0]["secrets"] == []
    other = ProfileStore(tmp_path / "elsewhere.json", Vault(MemoryKeyring()))
    [imported] = other.import_text(exported).profiles
    assert imported.status == "added" and imported.profile.name == "work" and imported.profile.secrets == ()
    assert other.secret("work", "client_secret") is None


def test_import_refuses_clashes_unless_replacing_and_keeps_local_secrets(store):
    store.add(work(), secrets={"client_secret": SECRET})
    incoming = store.export().replace('"notes": ""', '"notes": "changed"')
    with pytest.raises(StorageError, match="already exist: work"):
        store.import_text(incoming)
    [item] = store.import_text(incoming, replace_existing=True).profiles
    assert item.status == "replaced" and item.repointed_by == () and item.secrets_dropped == ()
    assert store.get("work").notes == "changed"
    assert store.secret("work", "client_secret") == SECRET


def imported_over_work(store, **changes):
    """An export of ``work`` with ``changes`` applied, as someone could hand it over."""
    document = json.loads(store.export())
    document["profiles"][0].update(changes)
    return json.dumps(document)


REPOINTINGS = {
    "issuer": {"issuer": "https://attacker.example"},
    "endpoint": {"endpoints": {"token_endpoint": "https://attacker.example/token"}},
    "client_id": {"client_id": "someone-else"},
    "ca_bundle": {"ca_bundle": "/tmp/attacker-ca.pem"},
}


@pytest.mark.parametrize("changes", REPOINTINGS.values(), ids=REPOINTINGS.keys())
def test_import_that_repoints_a_profile_is_refused_and_changes_nothing(path, keyring, store, changes):
    """The audit's attack: --replace with a new issuer/endpoint kept the client secret, and the next
    flow sent it to the new token endpoint."""
    store.add(work(), secrets={"client_secret": SECRET, "private_key": PEM})
    before = path.read_bytes()
    with pytest.raises(StorageError, match="Nothing was imported") as caught:
        store.import_text(imported_over_work(store, **changes), replace_existing=True)
    field = next(iter(changes))
    assert caught.value.code == "import_repoints_secrets" and f"'work' ({field}" in caught.value.message
    assert "--keep-secrets" in caught.value.hint and "--drop-secrets" in caught.value.hint
    assert path.read_bytes() == before and store.secret("work", "client_secret") == SECRET


@pytest.mark.parametrize("changes", REPOINTINGS.values(), ids=REPOINTINGS.keys())
def test_import_that_repoints_a_profile_drops_its_secret(keyring, store, changes):
    store.add(work(), secrets={"client_secret": SECRET, "private_key": PEM})
    plan = store.import_text(imported_over_work(store, **changes), replace_existing=True, secrets="drop")
    [item] = plan.profiles
    assert item.secrets_dropped == ("client_secret", "private_key") and item.profile.secrets == ()
    assert store.get("work").secrets == () and store.secret("work", "client_secret") is None
    assert not [name for service, name in keyring.entries if service == SERVICE and name.startswith("profile/")]


def test_import_that_repoints_a_profile_keeps_its_secret_only_when_asked(store):
    store.add(work(), secrets={"client_secret": SECRET})
    incoming = imported_over_work(store, issuer="https://new-idp.example")
    assert store.plan_import(incoming, replace_existing=True).blocked
    [item] = store.import_text(incoming, replace_existing=True, secrets="keep").profiles
    assert item.repointed_by == ("issuer",) and item.secrets_dropped == ()
    assert store.get("work").issuer == "https://new-idp.example" and store.secret("work", "client_secret") == SECRET


def test_import_that_repoints_a_profile_without_secrets_needs_no_choice(store):
    store.add(work())
    [item] = store.import_text(imported_over_work(store, issuer="https://new-idp.example"), replace_existing=True).profiles
    assert item.repointed_by == ("issuer",) and store.get("work").issuer == "https://new-idp.example"


def test_import_that_changes_the_case_of_a_name_moves_its_secrets(keyring, store):
    store.add(work(), secrets={"client_secret": SECRET})
    [item] = store.import_text(imported_over_work(store, name="Work"), replace_existing=True).profiles
    assert [c.field for c in item.changes] == ["name"] and store.secret("Work", "client_secret") == SECRET
    assert (SERVICE, "profile/work/client_secret") not in keyring.entries


def test_dropping_secrets_with_a_locked_keyring_changes_nothing(path, keyring):
    ProfileStore(path, Vault(keyring)).add(work(), secrets={"client_secret": SECRET})
    locked = ProfileStore(path, Vault(LockedKeyring()))
    before = path.read_bytes()
    with pytest.raises(KeyringUnavailableError):
        locked.import_text(imported_over_work(locked, issuer="https://new.example"), replace_existing=True,
                           secrets="drop")
    assert path.read_bytes() == before


def test_import_validates_everything_first(store):
    bad = json.dumps({"version": 1, "profiles": [work(name="ok").to_json(), {**work().to_json(), "redirect_port": -5}]})
    with pytest.raises(StorageError, match="invalid profile"):
        store.import_text(bad)
    assert store.list() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": 1, "profiles": [', "is damaged: Expecting value at line 1"),
        ("[]", "not a Token Inspector profiles file"),
        ('{"profiles": []}', "not a Token Inspector profiles file"),
        ('{"version": 1}', 'no "profiles" list'),
        ('{"version": 1, "profiles": [{"name": "x"}]}', "invalid profile: Profile 'x' needs an issuer"),
        ('{"version": 99, "profiles": []}', "newer Token Inspector \\(profiles format 99"),
    ],
)
def test_damaged_or_future_file_is_reported_and_never_overwritten(path, store, content, message):
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StorageError, match=message):
        store.list()
    for change in (lambda: store.add(work(name="new")), lambda: store.import_text(store_export()),
                   lambda: store.remove("x")):  # fmt: skip
        with pytest.raises(StorageError):
            change()
    assert path.read_text(encoding="utf-8") == content


def store_export():
    return json.dumps({"version": 1, "profiles": [work(name="imported").to_json()]})


def test_duplicate_names_in_the_file_are_reported(path, store):
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "profiles": [work().to_json(), work(name="Work").to_json()]}))
    with pytest.raises(StorageError, match="two profiles named 'Work'"):
        store.list()


def test_missing_file_means_no_profiles(store, path):
    assert store.list() == [] and not path.exists()


def version_1(*profiles):
    return json.dumps({"version": 1, "profiles": [profile.to_json() for profile in profiles]})


def test_auth_method_auto_is_the_default_and_is_stored_as_auto(path, store):
    store.add(Profile(name="pub", issuer="https://idp.example"))
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == 2 and stored["profiles"][0]["auth_method"] == "auto"


def test_version_1_files_are_read_and_their_defaulted_basic_without_a_secret_becomes_auto(path, keyring):
    path.parent.mkdir()
    path.write_text(version_1(work(name="public", auth_method="client_secret_basic"),
                              work(name="confidential", auth_method="client_secret_basic", secrets=("client_secret",)),
                              work(name="post", auth_method="client_secret_post")))
    store = ProfileStore(path, Vault(keyring))
    methods = {p.name: p.auth_method for p in store.list()}
    assert methods == {"public": "auto", "confidential": "client_secret_basic", "post": "client_secret_post"}
    store.update("post", {"notes": "touched"})
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 2
    assert {p.name: p.auth_method for p in ProfileStore(path, Vault(keyring)).list()} == methods


def test_a_decryption_key_lives_in_the_keyring_and_loads_as_keys(store):
    from inspector.core.errors import KeySourceError
    from inspector.core.storage.decryption import profile_decryption_keys
    from tests.support.jwe import jwk_text, oct_jwk

    text = jwk_text({**oct_jwk(128), "kid": "enc-1"})
    saved = store.add(work(), secrets={"decryption_key": text})
    assert saved.secrets == ("decryption_key",) and store.secret("work", "decryption_key") == text
    assert "decryption_key" not in store.export() and oct_jwk(128)["k"] not in store.export()
    [key] = profile_decryption_keys(store, "work")
    assert key.kid == "enc-1" and key.source == "profile 'work' JWK"
    store.update("work", {}, secrets={"decryption_key": None})
    with pytest.raises(KeySourceError, match="has no decryption key"):
        profile_decryption_keys(store, "work")



def test_a_decryption_key_that_cannot_decrypt_is_never_stored(store, keyring):
    public = '{"kty": "RSA", "n": "AQAB", "e": "AQAB"}'
    with pytest.raises(StorageError, match="decryption key cannot be used: The JWK cannot decrypt: it is a public key"):
        store.add(work(), secrets={"decryption_key": public})
    assert store.list() == [] and not keyring.entries
