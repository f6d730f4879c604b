"""The profile list: names, with the issuer as tooltip."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from inspector.core.storage.profile_model import Profile
from inspector.ui.models.roles import ObjectRole

Index = QModelIndex | QPersistentModelIndex


class ProfilesModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._profiles: list[Profile] = []

    def set_profiles(self, profiles: Sequence[Profile]) -> None:
        self.beginResetModel()
        self._profiles = list(profiles)
        self.endResetModel()

    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    def row_of(self, name: str) -> int:
        for row, profile in enumerate(self._profiles):
            if profile.name.casefold() == name.casefold():
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._profiles)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._profiles)):
            return None
        profile = self._profiles[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return profile.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return profile.issuer or "endpoints set by hand"
        if role == ObjectRole:
            return profile
        return None
