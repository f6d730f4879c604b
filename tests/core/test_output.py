"""Writing where the person said: never over an input (under any name), whole or not at all."""

import os

import pytest

from inspector.core.errors import InspectorError
from inspector.core.output import refuse_inputs, write_output


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.har"
    path.write_text("input")
    return path


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_an_input_under_any_name_is_refused(tmp_path, source, how):
    target = source if how == "same" else tmp_path / "other.har"
    if how == "symlink":
        target.symlink_to(source)
    elif how == "hardlink":
        os.link(source, target)
    with pytest.raises(InspectorError, match="is the input file") as caught:
        refuse_inputs(str(target), [str(source)])
    assert caught.value.code == "usage"


def test_another_file_a_missing_input_and_a_folder(tmp_path, source):
    refuse_inputs(str(tmp_path / "out.har"), [str(source), str(tmp_path / "missing")])
    with pytest.raises(InspectorError, match="is a folder"):
        refuse_inputs(str(tmp_path), [str(source)])


def test_written_whole_private_and_without_a_temporary_left(tmp_path):
    target = tmp_path / "out.har"
    target.write_text("old")
    write_output(str(target), [b"new ", b"content"])
    assert target.read_bytes() == b"new content" and sorted(p.name for p in tmp_path.iterdir()) == ["out.har"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions that bind the user")
def test_a_folder_that_cannot_be_written_leaves_the_old_file(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "out.har").write_text("old")
    folder.chmod(0o500)
    try:
        with pytest.raises(InspectorError, match="Cannot write"):
            write_output(str(folder / "out.har"), [b"new"])
        assert (folder / "out.har").read_text() == "old"
    finally:
        folder.chmod(0o700)


def test_a_write_that_fails_half_way_leaves_nothing(tmp_path):
    def chunks():
        yield b"first"
        raise OSError(28, "No space left on device")

    with pytest.raises(InspectorError, match="No space left on device. Nothing was written"):
        write_output(str(tmp_path / "out.har"), chunks())
    assert list(tmp_path.iterdir()) == []
