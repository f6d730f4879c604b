"""What an import changes, worked out before anything is written (the store applies it)."""

import pytest

from inspector.core.errors import StorageError
from inspector.core.storage.profile_import import DROP, KEEP, REFUSE, plan_import
from inspector.core.storage.profile_model import Profile


def work(**changes):
    values = {"name": "work", "issuer": "https://idp.example", "client_id": "web"}
    values.update(changes)
    return Profile(**values)


def test_every_changed_field_is_listed_and_those_that_repoint_are_named():
    old = work(endpoints={"token_endpoint": "https://idp.example/token"}, extra_params={"prompt": "login"})
    new = work(client_id="web2", scopes=("openid", "email"), endpoints={"userinfo_endpoint": "https://idp.example/me"},
               extra_params={"prompt": "login", "request_uri": "https://evil.example/r"})
    [item] = plan_import([old], [new], replace_existing=True, secrets=REFUSE).profiles
    assert [c.to_json() for c in item.changes] == [
        {"field": "endpoints.token_endpoint", "old": "https://idp.example/token", "new": None},
        {"field": "endpoints.userinfo_endpoint", "old": None, "new": "https://idp.example/me"},
        {"field": "client_id", "old": "web", "new": "web2"},
        {"field": "scopes", "old": ["openid"], "new": ["openid", "email"]},
        {"field": "extra_params.request_uri", "old": None, "new": "https://evil.example/r"},
    ]
    assert item.status == "replaced"
    assert item.repointed_by == ("endpoints.token_endpoint", "endpoints.userinfo_endpoint", "client_id")


def test_ca_bundles_and_extra_parameters_are_put_up_for_review_even_when_unchanged():
    profile = work(ca_bundle="/tmp/x.pem", extra_params={"request_uri": "https://e.example/r"})
    for existing in ([], [profile]):
        [item] = plan_import(existing, [profile], replace_existing=True, secrets=REFUSE).profiles
        assert item.review == (("ca_bundle", "/tmp/x.pem"), ("extra_params.request_uri", "https://e.example/r"))
    assert item.status == "unchanged"


def test_only_a_repointed_profile_with_secrets_blocks_the_default():
    stored = work(secrets=("client_secret",))
    plan = plan_import([stored, work(name="bare")], [work(issuer="https://new.example"),
                                                     work(name="bare", issuer="https://new.example")],
                       replace_existing=True, secrets=REFUSE)
    assert [item.profile.name for item in plan.blocked] == ["work"]
    assert plan.refusal().code == "import_repoints_secrets"
    for choice in (KEEP, DROP):
        assert not plan_import([stored], [work(issuer="https://new.example")], replace_existing=True,
                               secrets=choice).blocked


def test_imported_profiles_never_bring_secrets_of_their_own():
    claimed = work(secrets=("client_secret", "private_key"))
    [item] = plan_import([], [claimed], replace_existing=False, secrets=KEEP).profiles
    assert item.status == "added" and item.profile.secrets == ()


def test_a_clash_without_replace_is_an_error():
    with pytest.raises(StorageError, match="already exist: WORK"):
        plan_import([work()], [work(name="WORK")], replace_existing=False, secrets=REFUSE)


def test_a_changed_pushed_requests_choice_is_listed():
    [item] = plan_import([work()], [work(use_par=True)], replace_existing=True, secrets=REFUSE).profiles
    assert [c.to_json() for c in item.changes] == [{"field": "use_par", "old": None, "new": True}]
    assert item.repointed_by == ()
