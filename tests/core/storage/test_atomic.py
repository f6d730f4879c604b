import os
import stat

import pytest

from inspector.core.errors import StorageError
from inspector.core.storage.atomic import remove_stale_temporaries, write_atomic


def test_write_creates_private_folder_and_file(tmp_path):
    target = tmp_path / "new" / "file.bin"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_write_replaces_content_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "file.bin"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.bin"]


def test_failed_write_keeps_previous_version_and_cleans_up(tmp_path):
    target = tmp_path / "file.bin"
    write_atomic(target, b"keep me")
    target_dir_as_file = tmp_path / "blocker"
    target_dir_as_file.write_bytes(b"")
    with pytest.raises(StorageError, match="Cannot"):
        write_atomic(target_dir_as_file / "inner.bin", b"x")
    assert target.read_bytes() == b"keep me"


def test_replacing_a_directory_fails_cleanly_without_stray_files(tmp_path):
    (tmp_path / "file.bin").mkdir()
    with pytest.raises(StorageError, match="previous version is unchanged"):
        write_atomic(tmp_path / "file.bin", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.bin"]


def test_stale_temporaries_of_that_file_only_are_removed(tmp_path):
    target = tmp_path / "history.bin"
    (tmp_path / ".history.bin.abc123.tmp").write_bytes(b"half")
    (tmp_path / ".other.bin.abc123.tmp").write_bytes(b"not ours")
    remove_stale_temporaries(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.bin.abc123.tmp"]
