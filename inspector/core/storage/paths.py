"""Where Token Inspector keeps its files.

The platform's usual folders (platformdirs) by default; ``TOKEN_INSPECTOR_HOME`` moves config,
data and logs under one folder for the whole app — a throwaway profile for trying things out,
and the seam every test uses instead of patching.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

APP_NAME = "token-inspector"
HOME_VARIABLE = "TOKEN_INSPECTOR_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def profiles_file(self) -> Path:
        return self.config_dir / "profiles.json"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.bin"

    @classmethod
    def under(cls, home: Path) -> AppPaths:
        """Everything below one folder (what ``TOKEN_INSPECTOR_HOME`` selects)."""
        home = Path(home)
        return cls(config_dir=home / "config", data_dir=home / "data", log_dir=home / "logs")


def default_paths(environ: Mapping[str, str] | None = None) -> AppPaths:
    """The folders to use for this run: ``TOKEN_INSPECTOR_HOME`` if set, else the platform's."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_VARIABLE, "").strip()
    if home:
        return AppPaths.under(Path(home).expanduser())
    import platformdirs

    return AppPaths(
        config_dir=platformdirs.user_config_path(APP_NAME, appauthor=False),
        data_dir=platformdirs.user_data_path(APP_NAME, appauthor=False),
        log_dir=platformdirs.user_log_path(APP_NAME, appauthor=False),
    )
