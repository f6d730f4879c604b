"""The claims table: a decoded token's header parameters and claims, with meaning and time state.

An adapter over :class:`DecodedToken` and the core's claim registry; colour comes from the
roles (:mod:`inspector.ui.models.roles`) through the claim delegate, never from the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from PySide6.QtCore import Qt

from inspector.core.findings import Finding
from inspector.core.jose.claims import TIME_CLAIMS, TimeText, describe_claim, describe_header, describe_time
from inspector.core.jose.parse import DecodedToken
from inspector.ui.models.roles import CategoryRole, ClaimRole, ObjectRole, PartRole, SeverityRole, TimeStateRole
from inspector.ui.models.table import ColumnTableModel, Index

#: Longest value text painted in a cell; the full value is in the tooltip (capped) and Copy.
DISPLAY_LIMIT = 300
TOOLTIP_LIMIT = 4000



@dataclass
class ClaimRow:
    part: str  # "header" | "payload" | "jwe_header" (the encryption header of a decrypted nested JWT)
    name: str
    value: Any
    category: str
    description: str
    time: TimeText | None = None


def value_text(value: Any, limit: int | None = DISPLAY_LIMIT) -> str:
    """Strings as they are; everything else as compact JSON; cut at ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ": "))
    if limit is not None and len(text) > limit:
        return f"{text[:limit]}… ({len(text):,} characters)"
    return text


class ClaimsModel(ColumnTableModel):
    """Columns: Claim, Value, Details. Payload claims first, then the header's parameters
    (category "header"), so findings about ``alg`` or ``jku`` have a row to point at; a JWS that
    was decrypted out of a JWE shows the JWE's header too, its names marked "(JWE)".
    Time claims carry their state in ``TimeStateRole``."""

    COLUMNS = ("Claim", "Value", "Details")

    def __init__(self, clock: Callable[[], float], parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[ClaimRow] = []
        self._findings: dict[tuple[str, str], list[Finding]] = {}

    # -- feeding ------------------------------------------------------------------------------
    def set_token(self, decoded: DecodedToken | None) -> None:
        self.beginResetModel()
        self._rows = [] if decoded is None else self._build_rows(decoded)
        self._findings = {}
        self.endResetModel()

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Attach findings to the rows they name (``claim``; header rows when ``part`` is header)."""
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for finding in findings:
            if finding.claim is None:
                continue
            row = self.row_of(finding.claim, finding.part)
            if row >= 0:
                key = (self._rows[row].part, self._rows[row].name)
                grouped.setdefault(key, []).append(finding)
        self._findings = grouped
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))

    def refresh_times(self) -> None:
        """Recompute relative times and states (a token expires while you look at it)."""
        now = self._clock()
        changed = [i for i, row in enumerate(self._rows) if row.time is not None]
        for i in changed:
            row = self._rows[i]
            row.time = describe_time(row.name, row.value, now)
        if changed:
            self.dataChanged.emit(self.index(changed[0], 1), self.index(changed[-1], 2))

    def row_of(self, claim: str, part: str | None = None) -> int:
        """The row showing ``claim``; payload first unless ``part`` says header; -1 if none."""
        order = (part,) if part in ("header", "jwe_header") else ("payload", "header")
        for wanted in order:
            for i, row in enumerate(self._rows):
                if row.part == wanted and row.name == claim:
                    return i
        return -1

    def claim_json(self) -> str:
        """The payload claims as pretty JSON (for Copy JSON)."""
        return json.dumps({r.name: r.value for r in self._rows if r.part == "payload"}, indent=2, ensure_ascii=False)

    def _build_rows(self, decoded: DecodedToken) -> list[ClaimRow]:
        now = self._clock()
        rows = []
        for name, value in (decoded.claims or {}).items():
            info = describe_claim(name)
            if info is None:
                category, description = "custom", "Custom claim: defined by the issuer, not by a standard."
            else:
                category = info.category
                vendor = f" ({info.vendor})" if info.vendor else ""
                description = f"{info.description}{vendor}"
            time = describe_time(name, value, now) if name in TIME_CLAIMS else None
            rows.append(ClaimRow("payload", name, value, category, description, time))
        rows.extend(
            ClaimRow("header", name, value, "header", describe_header(name) or "Header parameter (unregistered).")
            for name, value in (decoded.header or {}).items()
        )
        if decoded.decrypted and decoded.format == "jws":
            rows.extend(
                ClaimRow("jwe_header", name, value, "header",
                         f"Encryption header (JWE): {describe_header(name) or 'header parameter (unregistered).'}")
                for name, value in (decoded.jwe_header or {}).items()
            )
        return rows

    # -- Qt model API -------------------------------------------------------------------------
    def item_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.has_row(index):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}: {self._display(row, column)}"
        if role == CategoryRole:
            return row.category
        if role == TimeStateRole:
            return row.time.state if row.time is not None else None
        if role == SeverityRole:
            return self._worst(row)
        if role == ClaimRole:
            return row.name
        if role == PartRole:
            return row.part
        if role == ObjectRole:
            return row.value
        return None

    def _display(self, row: ClaimRow, column: int) -> str:
        if column == 0:
            return f"{row.name} (JWE)" if row.part == "jwe_header" else row.name
        if column == 1:
            return row.time.utc if row.time is not None and row.time.state != "neutral" else value_text(row.value)
        if row.time is not None:
            if row.time.state == "neutral" or row.time.local.endswith("(+0000)"):
                return row.time.relative
            return f"{row.time.relative} (local {row.time.local})"
        return row.description

    def _tooltip(self, row: ClaimRow, column: int) -> str:
        lines = [row.description]
        if row.time is not None and row.time.state != "neutral":
            lines = [f"{row.time.utc} · local {row.time.local}", row.time.relative, row.description]
        if column == 1:
            lines = [value_text(row.value, TOOLTIP_LIMIT)]
        lines.extend(f"{f.severity.label.capitalize()}: {f.message}" for f in self._findings.get((row.part, row.name), []))
        return "\n".join(lines)

    def _worst(self, row: ClaimRow) -> str | None:
        found = self._findings.get((row.part, row.name))
        if not found:
            return None
        return max(found, key=lambda f: f.severity.rank).severity.value

