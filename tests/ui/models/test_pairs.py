"""PairsModel: a correct Qt model; secrets masked; edits write through to the step's inputs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.core.redact import MASK
from inspector.ui.models.pairs import PairsModel


def test_passes_the_qt_model_tester(qtmodeltester):
    model = PairsModel()
    model.set_pairs({"scope": "openid", "client_secret": "s3cret"})
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == MASK
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_edits_write_through_to_the_target():
    inputs = {"scope": "openid email", "state": "abc"}
    model = PairsModel()
    model.set_pairs(inputs, target=inputs)
    assert model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(0, 1), "openid")
    model.add_pair("prompt", "login")
    model.remove_row(1)
    assert inputs == {"scope": "openid", "prompt": "login"}
