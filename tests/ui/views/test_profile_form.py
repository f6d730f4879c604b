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


def test_the_pushed_requests_choice_round_trips_through_the_combo(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("par", issuer="https://idp.example"))
    assert form.use_par.currentText() == "As the provider requires" and form.profile().use_par is None
    for text, value in (("Always", True), ("Never", False)):
        form.show_profile(Profile("par", issuer="https://idp.example", use_par=value))
        assert form.use_par.currentText() == text and form.profile().use_par is value
