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


def test_resources_round_trip_through_the_form(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("api", issuer="https://idp.example", resources=("https://a.example", "urn:b")))
    assert form.resources.text() == "https://a.example urn:b"
    form.resources.setText("https://c.example  urn:d ")
    assert form.profile().resources == ("https://c.example", "urn:d")
