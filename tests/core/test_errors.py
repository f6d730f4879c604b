"""The error tree: stable codes, a message and an optional hint that say what to do next."""

import pytest

from inspector.core.errors import (
    FlowCancelledError, InspectorError, KeyringUnavailableError, KeySourceError, MalformedTokenError,
    ProfileNotFoundError, ProtocolError, StorageError, UnusableInputError, describe, internal_error_text,
)


@pytest.mark.parametrize("cls, code", [
    (InspectorError, "error"), (MalformedTokenError, "malformed"), (KeySourceError, "key_source"),
    (ProtocolError, "protocol"), (FlowCancelledError, "cancelled"), (StorageError, "storage"),
    (KeyringUnavailableError, "keyring_unavailable"), (ProfileNotFoundError, "profile_not_found"),
    (UnusableInputError, "unusable_input"),
])
def test_each_error_has_its_stable_code_and_is_an_inspector_error(cls, code):
    exc = cls("message")
    assert exc.code == code and isinstance(exc, InspectorError)


def test_storage_errors_include_the_keyring_and_profile_ones():
    assert issubclass(KeyringUnavailableError, StorageError) and issubclass(ProfileNotFoundError, StorageError)


def test_a_code_given_at_raise_time_overrides_the_class_code_for_that_error_only():
    assert InspectorError("m", code="usage").code == "usage"
    assert InspectorError("m").code == "error"


def test_the_hint_follows_the_message_in_text_and_is_its_own_field_in_json():
    exc = StorageError("Cannot read the file.", hint="Check its permissions.")
    assert str(exc) == "Cannot read the file. Check its permissions."
    assert exc.to_json() == {"code": "storage", "message": "Cannot read the file.", "hint": "Check its permissions."}
    assert KeySourceError("No key.").to_json() == {"code": "key_source", "message": "No key."}


def test_core_errors_are_described_in_their_own_words():
    assert describe(StorageError("The history file is damaged.", hint="Restore it from a backup.")) == (
        "The history file is damaged. Restore it from a backup."
    )


def test_an_unexpected_error_is_described_by_its_kind_only():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
    assert describe(KeyError(token)) == ("An unexpected internal error occurred (KeyError). "
                                         "The action you were doing did not complete.")


def test_internal_error_text_names_the_type_and_redacts_the_message():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
    text = internal_error_text(ValueError(f"bad {token} from https://u:pw@as.example/t?client_secret=s3"))
    assert text.startswith("ValueError: bad eyJhbG…(") and token not in text
    assert "pw@" not in text and "s3" not in text
