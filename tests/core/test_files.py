"""core.files.read_bounded: the one bounded reader every user-named file goes through."""

from __future__ import annotations

import os

import pytest

from inspector.core.errors import InspectorError, ProtocolError, UnusableInputError
from inspector.core.files import amount, read_bounded, require_regular

needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def test_a_regular_file_is_read_whole_up_to_the_limit(tmp_path):
    path = tmp_path / "a"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, limit=100, what="the file") == b"x" * 100


def test_a_file_over_the_limit_is_refused_unread_with_the_size_hint(tmp_path):
    path = tmp_path / "big"
    with path.open("wb") as handle:  # sparse: nothing is written but its size
        handle.truncate(200_000_000)
    with pytest.raises(UnusableInputError) as caught:
        read_bounded(path, limit=150_000_000, what="the recording", hint="other", size_hint="smaller")
    assert caught.value.message == (f"Cannot read the recording {str(path)!r}: it is too large to read: 200 MB, "
                                    "more than the 150 MB it can be.")
    assert caught.value.hint == "smaller"


@needs_fifos
def test_a_fifo_is_refused_at_once_in_the_callers_error_and_code(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InspectorError) as caught:
        read_bounded(fifo, limit=10, what="the key file", error=InspectorError, code="usage", hint="a file")
    assert "it is a FIFO (named pipe), not a regular file" in caught.value.message
    assert caught.value.code == "usage" and caught.value.hint == "a file"


@needs_fifos
def test_a_pipe_is_read_when_streams_are_allowed(tmp_path):
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"secret\n")
        os.close(write_end)
        assert read_bounded(f"/dev/fd/{read_end}", limit=100, what="the secret", streams=True) == b"secret\n"
    finally:
        os.close(read_end)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_or_stops_at_the_limit():
    with pytest.raises(UnusableInputError, match="it is a device, not a regular file"):
        read_bounded("/dev/zero", limit=10, what="the file")
    with pytest.raises(UnusableInputError, match="more than the 1,000 bytes it can be"):
        read_bounded("/dev/zero", limit=1000, what="the file", streams=True)


def test_missing_folder_and_nul_byte_are_refusals_not_tracebacks(tmp_path):
    for path, reason in [(tmp_path / "missing", "it is not a file (no such file or directory)"),
                         (tmp_path, "it is a directory, not a regular file"),
                         ("bad\0name", "a file name cannot contain a NUL byte")]:
        with pytest.raises(UnusableInputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            read_bounded(path, limit=10, what="the file")


def test_require_regular_checks_without_reading(tmp_path):
    path = tmp_path / "ca.pem"
    path.write_text("pem")
    require_regular(path, what="the CA bundle", error=ProtocolError)
    with pytest.raises(ProtocolError, match="it is a directory, not a regular file"):
        require_regular(tmp_path, what="the CA bundle", error=ProtocolError)


@pytest.mark.parametrize(("size", "text"), [(150_000_000, "150 MB"), (151_500_000, "151.5 MB"),
                                            (8_388_608, "8,388,608 bytes"), (1000, "1,000 bytes")])
def test_amounts_are_megabytes_when_round_and_exact_otherwise(size, text):
    assert amount(size) == text
