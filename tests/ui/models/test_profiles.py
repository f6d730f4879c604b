"""ProfilesModel: a correct Qt model over profile records."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.core.storage.profile_model import Profile
from inspector.ui.models.profiles import ProfilesModel


def test_passes_the_qt_model_tester(qtmodeltester):
    model = ProfilesModel()
    model.set_profiles([Profile("acme-dev", issuer="https://a"), Profile("Prod", issuer="https://p")])
    qtmodeltester.check(model)
    assert model.row_of("prod") == 1
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "https://a"
