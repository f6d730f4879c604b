"""The OAuth exchanges a HAR recording holds, in the order the browser started them, with the
exchanges the diagnoses were found at marked (the root cause's "◀ fails" in the error colour).

Every text is masked by the recording's redactor (see :mod:`inspector.ui.har_display`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from PySide6.QtCore import Qt

from inspector.ui.har_display import KIND_LABELS, Mark, where_to
from inspector.ui.models.roles import ObjectRole, SeverityRole
from inspector.ui.models.table import ColumnTableModel, Index

if TYPE_CHECKING:
    from inspector.core.har.model import HarExchange, HarTimeline
    from inspector.core.redact import Redactor


class TimelineModel(ColumnTableModel):
    """Columns: Time (the browser's clock, as recorded), Method, Exchange, URL, Status, Note."""

    COLUMNS = ("Time", "Method", "Exchange", "URL", "Status", "Note")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[HarExchange, tuple[str, ...], Mark | None]] = []

    def set_timeline(self, timeline: "HarTimeline | None", redactor: "Redactor | None",
                     marks: Mapping[int, Mark] | None = None) -> None:
        self.beginResetModel()
        self._rows = []
        if timeline is not None and redactor is not None:
            for exchange in timeline.exchanges:
                mark = (marks or {}).get(exchange.index)
                self._rows.append((exchange, self._texts(exchange, redactor, mark), mark))
        self.endResetModel()

    def exchange(self, row: int) -> "HarExchange":
        return self._rows[row][0]

    def first_marked_row(self) -> int:
        """The row of the root cause's exchange (else of any marked one), -1 when none is marked."""
        for severity in ("error", "warning"):
            for row, (_exchange, _texts, mark) in enumerate(self._rows):
                if mark is not None and mark.severity == severity:
                    return row
        return -1

    def item_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        exchange, texts, mark = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0 and exchange.started is not None:
                return exchange.started.isoformat(timespec="milliseconds")
            return texts[column]
        if role == SeverityRole and mark is not None:
            return mark.severity
        if role == ObjectRole:
            return exchange
        return None

    @staticmethod
    def _texts(exchange: "HarExchange", redactor: "Redactor", mark: Mark | None) -> tuple[str, ...]:
        started = exchange.started.strftime("%H:%M:%S") if exchange.started is not None else "—"
        answer = exchange.response_json.get("error") if isinstance(exchange.response_json, Mapping) else None
        carried = (exchange.callback or {}).get("error") or ()
        error = answer if isinstance(answer, str) else carried[0] if carried else ""
        redirect = ""
        if exchange.redirect_url and 300 <= exchange.status < 400:
            redirect = "→ " + redactor.text(exchange.redirect_url.split("?", 1)[0].split("#", 1)[0])
        note = "  ".join(part for part in (mark.note if mark else "", redactor.text(error), redirect) if part)
        return (started, exchange.method, KIND_LABELS[exchange.kind], where_to(exchange, redactor),
                str(exchange.status) if exchange.status else "—", note)
