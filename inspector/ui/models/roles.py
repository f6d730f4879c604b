"""Custom item-data roles shared by the models and their delegates."""

from __future__ import annotations

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole

#: "registered" | "oidc" | "access_token" | "vendor" | "custom"
CategoryRole = _BASE + 1
#: the claims registry's time state: "expired" | "not_yet_valid" | "valid" | "past" | "future" | "neutral"
TimeStateRole = _BASE + 2
#: worst finding severity pointing at the row ("error" | "warning" | "info") or None
SeverityRole = _BASE + 3
#: the claim name of a row (claims) or the claim a finding points to (findings)
ClaimRole = _BASE + 4
#: the underlying Python value (a claim's JSON value, a Finding, a history entry, a step)
ObjectRole = _BASE + 5
#: the token part a finding points to ("header" | "payload" | "signature" | ...)
PartRole = _BASE + 6
#: a diff entry's change: "added" | "removed" | "changed" | "same"
ChangeRole = _BASE + 7
