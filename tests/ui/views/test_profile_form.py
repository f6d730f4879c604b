"""The profile form's authentication choice: "Automatic" stands for the stored value "auto"."""

from inspector.core.storage.profile_model import Profile
from inspector.ui.views.profile_form import ProfileForm


def test_a_new_profile_shows_automatic_and_builds_auto(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(None)
    form.name.setText("pub")
    form.issuer.setText("https://idp.example")
    assert form.auth_method.currentText() == "Automatic"
    assert form.profile().auth_method == "auto"


def test_a_stored_method_round_trips_through_the_combo(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("svc", issuer="https://idp.example", auth_method="client_secret_post"))
    assert form.auth_method.currentText() == "client_secret_post"
    assert form.profile().auth_method == "client_secret_post"


def test_dpop_and_keeping_a_key_for_the_profile(qtbot):
    import json

    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("dp", issuer="https://idp.example"))
    assert not form.dpop.isChecked() and not form.dpop_keep_key.isChecked() and form.edited_secrets() == {}
    with qtbot.waitSignal(form.changed):
        form.dpop.setChecked(True)
    form.dpop_keep_key.setChecked(True)
    assert form.profile().dpop is True
    made = form.edited_secrets()["dpop_key"]
    assert json.loads(made)["kty"] == "EC" and "d" in json.loads(made)
    assert form.edited_secrets()["dpop_key"] == made  # one key, however often it is asked for

    form.show_profile(Profile("dp", issuer="https://idp.example", dpop=True, secrets=("dpop_key",)), {"dpop_key": made})
    assert form.dpop.isChecked() and form.dpop_keep_key.isChecked() and form.edited_secrets() == {}
    form.dpop_keep_key.setChecked(False)
    assert form.edited_secrets() == {"dpop_key": None}  # forgotten: deleted from the keyring on save
