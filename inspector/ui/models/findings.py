"""A list of findings (decode, verify, discovery lint, flow steps) as a table model."""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from inspector.core.findings import Finding, Severity
from inspector.ui.models.roles import ClaimRole, ObjectRole, PartRole, SeverityRole

Index = QModelIndex | QPersistentModelIndex
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_LABEL = {Severity.ERROR: "✖ error", Severity.WARNING: "⚠ warning", Severity.INFO: "ℹ note"}


class FindingsModel(QAbstractTableModel):
    """Columns: Severity, Code, Message; errors first, then warnings, then notes."""

    COLUMNS = ("Severity", "Code", "Message")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []

    def set_findings(self, findings: Iterable[Finding]) -> None:
        self.beginResetModel()
        self._findings = sorted(findings, key=lambda f: _ORDER[f.severity])
        self.endResetModel()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def finding(self, row: int) -> Finding:
        return self._findings[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._findings)):
            return None
        finding = self._findings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (SEVERITY_LABEL[finding.severity], finding.code, finding.message)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f" (claim {finding.claim})" if finding.claim else ""
            return f"{finding.code}{where}: {finding.message}"
        if role == SeverityRole:
            return finding.severity.value
        if role == ClaimRole:
            return finding.claim
        if role == PartRole:
            return finding.part
        if role == ObjectRole:
            return finding
        return None
