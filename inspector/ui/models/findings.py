"""A list of findings (decode, verify, discovery lint, flow steps) as a table model."""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtCore import Qt

from inspector.core.advice import SettingNamer
from inspector.core.findings import Finding
from inspector.ui.models.roles import ClaimRole, ObjectRole, PartRole, SeverityRole
from inspector.ui.models.table import ColumnTableModel, Index



class FindingsModel(ColumnTableModel):
    """Columns: Severity, Code, Message; errors first, then warnings, then notes."""

    COLUMNS = ("Severity", "Code", "Message")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        #: Words the settings that findings' advice names (the GUI's fields, not CLI flags).
        self.setting_names: SettingNamer | None = None

    def set_findings(self, findings: Iterable[Finding]) -> None:
        self.beginResetModel()
        self._findings = sorted(findings, key=lambda f: -f.severity.rank)
        self.endResetModel()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def finding(self, row: int) -> Finding:
        return self._findings[row]

    def item_count(self) -> int:
        return len(self._findings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        finding = self._findings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (f"{finding.severity.mark} {finding.severity.label}", finding.code, finding.text(self.setting_names))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f" (claim {finding.claim})" if finding.claim else ""
            return f"{finding.code}{where}: {finding.text(self.setting_names)}"
        if role == SeverityRole:
            return finding.severity.value
        if role == ClaimRole:
            return finding.claim
        if role == PartRole:
            return finding.part
        if role == ObjectRole:
            return finding
        return None
