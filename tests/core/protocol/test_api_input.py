"""A request as a person types it: header lines read in order, a body's Content-Type guessed as
curl does, and whatever cannot be sent refused in words before anything is."""

import pytest

from inspector.core.errors import ProtocolError
from inspector.core.protocol.api_input import build_request, header_lines, read_request


def test_header_lines_in_order_blank_lines_skipped_a_name_may_repeat():
    assert header_lines("Accept: a\n\n X-Trace :  7 \nAccept: b") == (("Accept", "a"), ("X-Trace", "7"), ("Accept", "b"))


@pytest.mark.parametrize("text, words", [
    ("no colon here", "Header line 1 ('no colon here') is not 'Name: value'"),
    ("Bad Name: x", "is not a header name"),
    ("X-A: a\x07b", "holds a line break or another control character"),
])
def test_a_line_that_is_not_a_header_is_refused_naming_it(text, words):
    with pytest.raises(ProtocolError) as raised:
        header_lines(text)
    assert words in str(raised.value) and raised.value.code == "invalid_header"


def test_the_method_defaults_to_get_or_post_with_a_body_and_the_body_gets_a_content_type():
    assert read_request("", " https://api/x ", "").method == "GET"
    request = read_request("", "https://api/x", "", '{"a": 1}')
    assert request.method == "POST" and request.url == "https://api/x" and request.body == b'{"a": 1}'
    assert request.headers == (("Content-Type", "application/json"),)
    assert read_request("put", "https://api/x", "", "a=1").headers == (("Content-Type",
                                                                        "application/x-www-form-urlencoded"),)
    typed = build_request("patch", "https://api/x", (("content-type", "text/plain"),), "hi")
    assert typed.method == "PATCH" and typed.headers == (("content-type", "text/plain"),)


@pytest.mark.parametrize("method, url, code", [("GET", "  ", "invalid_url"), ("GE T", "https://api/x", "invalid_method")])
def test_no_url_or_a_method_that_is_not_one_is_refused(method, url, code):
    with pytest.raises(ProtocolError) as raised:
        read_request(method, url)
    assert raised.value.code == code
