"""What a report is made from: a HAR, a flow record (JSON lines or a document) or a token; any
other artifact is refused with a pointer to diagnose."""

import json

import pytest

from inspector.core.errors import UnusableInputError
from inspector.core.report.source import source_from_bytes, source_from_text
from tests.support.diagnosis import id_token
from tests.support.har_logins import recordings


def test_a_har_keeps_its_bytes():
    data = recordings("chrome")[0].data
    source = source_from_bytes(data, "login.har")
    assert (source.kind, source.data, source.name) == ("har", data, "login.har")


def test_a_flow_record_as_json_lines_or_a_document():
    lines = '{"step": "discovery", "status": "ok"}\n{"step": "done", "status": "ok", "flow": "auth_code"}\n'
    assert source_from_text(lines, "record.jsonl").kind == "flow_record"
    document = {"grant": "auth_code", "steps": [{"step": "token", "status": "error"}]}
    assert source_from_text(json.dumps(document), "flow").data == document


def test_a_token():
    token = id_token()
    assert source_from_text(f"  {token}\n", "the token given").data == token


@pytest.mark.parametrize("text, what", [
    ("https://app.example/cb?error=access_denied&state=s1", "a callback URL"),
    ('{"error": "invalid_client"}', "a provider's error answer"),
    ("The login failed, please help", "an error message"),
])
def test_other_artifacts_point_to_diagnose(text, what):
    with pytest.raises(UnusableInputError, match=what) as caught:
        source_from_text(text, "the input")
    assert "diagnose" in caught.value.hint


def test_binary_is_unusable():
    with pytest.raises(UnusableInputError, match="binary"):
        source_from_bytes(b"\x89PNG\x00\x00", "image.png")
