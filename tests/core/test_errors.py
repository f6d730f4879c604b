"""The error tree: stable codes, a message and an optional hint that say what to do next."""

import pytest

from inspector.core.errors import (
    FlowCancelledError, InspectorError, KeyringUnavailableError, KeySourceError, MalformedTokenError,
    ProfileNotFoundError, ProtocolError, StorageError, UnusableInputError,
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
