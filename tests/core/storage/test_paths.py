from pathlib import Path

from inspector.core.storage.paths import HOME_VARIABLE, AppPaths, default_paths


def test_home_variable_moves_config_data_and_logs_under_one_folder(tmp_path):
    paths = default_paths({HOME_VARIABLE: str(tmp_path)})
    assert paths == AppPaths(tmp_path / "config", tmp_path / "data", tmp_path / "logs")
    assert paths.profiles_file == tmp_path / "config" / "profiles.json"
    assert paths.history_file == tmp_path / "data" / "history.bin"


def test_without_home_variable_uses_platform_folders_named_after_the_app():
    paths = default_paths({})
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert "token-inspector" in str(folder)
        assert Path(folder).is_absolute()


def test_blank_home_variable_is_ignored():
    assert default_paths({HOME_VARIABLE: "  "}) == default_paths({})
