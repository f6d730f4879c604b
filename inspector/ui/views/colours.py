"""Colours that stay readable in light and dark palettes: token parts, time states, severities,
and a diff's changes."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: (light palette, dark palette) pairs.
_PART = {
    "header": ("#c7254e", "#ff6b8f"),
    "payload": ("#8e24aa", "#d58cff"),
    "signature": ("#0277bd", "#4fc3f7"),
    "opaque": ("#455a64", "#b0bec5"),
}
_STATE = {
    "expired": ("#c62828", "#ff7961"),
    "not_yet_valid": ("#b26a00", "#ffb74d"),
    "valid": ("#2e7d32", "#81c784"),
}
_SEVERITY = {
    "error": ("#c62828", "#ff7961"),
    "warning": ("#b26a00", "#ffb74d"),
    "info": ("#1565c0", "#90caf9"),
}
_CHANGE = {
    "added": ("#2e7d32", "#81c784"),
    "removed": ("#c62828", "#ff7961"),
    "changed": ("#b26a00", "#ffb74d"),
}
_CATEGORY = {
    "registered": ("#1565c0", "#90caf9"),
    "oidc": ("#2e7d32", "#81c784"),
    "access_token": ("#6a1b9a", "#ce93d8"),
    "vendor": ("#b26a00", "#ffb74d"),
    "custom": ("#616161", "#bdbdbd"),
    "header": ("#c7254e", "#ff6b8f"),
}

CATEGORY_LABEL = {
    "registered": "JWT",
    "oidc": "OIDC",
    "access_token": "OAuth",
    "vendor": "vendor",
    "custom": "custom",
    "header": "header",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _pick(table: dict[str, tuple[str, str]], key: str, palette: QPalette) -> QColor | None:
    pair = table.get(key)
    if pair is None:
        return None
    return QColor(pair[1] if is_dark(palette) else pair[0])


def part_colour(part: str, palette: QPalette) -> QColor | None:
    return _pick(_PART, part, palette)


def state_colour(state: str, palette: QPalette) -> QColor | None:
    """Expired red, not yet valid amber, valid green; other time states keep the text colour."""
    return _pick(_STATE, state, palette)


def severity_colour(severity: str, palette: QPalette) -> QColor | None:
    return _pick(_SEVERITY, severity, palette)


def change_colour(kind: str, palette: QPalette) -> QColor | None:
    """Added green, removed red, changed amber; the same keeps the text colour."""
    return _pick(_CHANGE, kind, palette)


def category_colour(category: str, palette: QPalette) -> QColor | None:
    return _pick(_CATEGORY, category, palette)


def level_colour(level: str, palette: QPalette) -> QColor | None:
    """The clock indicator: "ok" green, "warning" amber, "error" red."""
    return state_colour("valid", palette) if level == "ok" else severity_colour(level, palette)
