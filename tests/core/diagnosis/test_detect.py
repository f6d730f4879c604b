"""Telling what was handed in, and reading it bounded: every kind of artifact, and every kind of
input that is none of them, refused with a message instead of a traceback."""

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.diagnosis.detect import HttpMessage, as_text, detect, read_artifact
from inspector.core.errors import UnusableInputError
from tests.support.diagnosis import id_token

KINDS = {
    "har": ('{"log": {"version": "1.2", "entries": []}}', "har"),
    "flow-lines": ('{"step": "discovery", "status": "ok"}\n{"step": "done", "status": "ok"}\n', "flow_record"),
    "flow-document": ('{"id": "x", "grant": "auth_code", "steps": []}', "flow_record"),
    "error-json": ('{"error": "invalid_grant"}', "error_response"),
    "okta-json": ('{"errorCode": "E0000011", "errorSummary": "Invalid token provided"}', "error_response"),
    "token-response": ('{"access_token": "x", "token_type": "Bearer", "id_token": "a.b.c"}', "token_response"),
    "http": ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\": \"invalid_grant\"}",
             "error_response"),
    "callback-query": ("https://app.example.com/cb?code=abc&state=xyz", "callback"),
    "callback-fragment": ("https://app.example.com/cb#id_token=a.b.c&state=xyz", "callback"),
    "callback-custom-scheme": ("com.example.app:/oauth2redirect?error=access_denied&state=s", "callback"),
    "authorize": ("https://op.example/authorize?response_type=code&client_id=app&scope=profile", "authorize_request"),
    "form-error": ("error=bad_verification_code&error_description=The+code+passed+is+incorrect", "error_response"),
    "page": ("<!DOCTYPE html><html><body>Invalid parameter: redirect_uri</body></html>", "error_text"),
    "message": ("AADSTS50011: The redirect URI specified does not match", "error_text"),
    "token": (id_token(), "token"),
    "bearer": (f"Authorization: Bearer {id_token()}", "token"),
}


@pytest.mark.parametrize("text, kind", KINDS.values(), ids=KINDS.keys())
def test_each_kind_is_recognised(text, kind):
    assert detect(text).kind == kind


def test_curl_i_output_with_a_proxy_block_first_keeps_the_last_answer():
    text = ("HTTP/1.1 200 Connection established\r\n\r\nHTTP/2 401\r\nwww-authenticate: Bearer error=\"invalid_token\""
            "\r\n\r\n")
    message = detect(text).data
    assert isinstance(message, HttpMessage) and message.status == 401
    assert message.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("text", ["", "   \n", "[1, 2]", '{"a": 1}', '{"log": ', '{"step": 1}\n{"x": 2}\n',
                                  "[" * 50_000])
def test_what_is_no_artifact_is_unusable(text):
    with pytest.raises(UnusableInputError):
        detect(text)


def test_binary_and_non_utf8_bytes_are_refused_naming_the_byte():
    with pytest.raises(UnusableInputError, match="binary"):
        as_text(b"PK\x03\x04\x00\x00")
    with pytest.raises(UnusableInputError, match="byte 0xe9 at offset 3"):
        as_text("caf\xe9".encode("latin-1"))
    assert as_text("\ufeff{}".encode("utf-8")) == "{}"


def test_files_are_read_bounded_and_only_when_regular(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_artifact(str(path), limit=100) == b"x" * 100
    with pytest.raises(UnusableInputError, match="more than"):
        read_artifact(str(path), limit=99)
    os.mkfifo(tmp_path / "pipe")
    for name in ("pipe", ".", "missing"):
        with pytest.raises(UnusableInputError):
            read_artifact(str(tmp_path / name))
    with pytest.raises(UnusableInputError, match="NUL"):
        read_artifact("bad\0name")
    with pytest.raises(UnusableInputError, match="not a regular file"):
        read_artifact("/dev/zero")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
                 st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=4).map(json.dumps)))
def test_arbitrary_text_is_an_artifact_or_unusable_never_an_exception(text):
    try:
        detect(text)
    except UnusableInputError:
        pass
