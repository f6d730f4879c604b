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


def test_pairs_with_a_repeated_name_keep_every_value_each_masked_by_its_name(qtmodeltester):
    model = PairsModel()
    model.set_pairs([("set-cookie", "a=1"), ("set-cookie", "b=2"), ("scope", "openid")])
    qtmodeltester.check(model)
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(3)] == [
        ("set-cookie", MASK), ("set-cookie", MASK), ("scope", "openid")]


def test_a_parameter_sent_once_per_value_shows_one_row_per_value(qtmodeltester):
    model = PairsModel()
    model.set_pairs({"grant_type": "client_credentials", "resource": ["urn:a", "https://b.example"]})
    qtmodeltester.check(model)
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())] == [
        ("grant_type", "client_credentials"), ("resource", "urn:a"), ("resource", "https://b.example")]
