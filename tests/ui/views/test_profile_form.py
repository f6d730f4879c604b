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


def test_a_client_certificate_and_its_key_load_from_files_the_key_as_a_secret(qtbot, tmp_path):
    from tests.support.mtls import issue

    cert_file, key_file = issue("mtls-client").write(tmp_path, "client")
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("mtls", issuer="https://idp.example", auth_method="tls_client_auth"))
    assert form.load_pem(form.client_cert, str(cert_file)) and form.load_pem(form.client_key, str(key_file))
    assert form.profile().client_cert == cert_file.read_text().strip()
    assert form.edited_secrets() == {"client_key": key_file.read_text()}
    assert not form.client_key.revealed and form.client_key.masked.text() != ""


def test_a_pem_file_that_cannot_be_read_is_said_and_changes_nothing(qtbot, tmp_path):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("mtls", issuer="https://idp.example"))
    (tmp_path / "binary.pem").write_bytes(b"\xff\xfe binary")
    with qtbot.waitSignal(form.load_failed) as missing:
        assert not form.load_pem(form.client_key, str(tmp_path / "absent.pem"))
    assert "absent.pem" in missing.args[0]
    with qtbot.waitSignal(form.load_failed) as binary:
        assert not form.load_pem(form.client_cert, str(tmp_path / "binary.pem"))
    assert "not a PEM text file" in binary.args[0]
    assert form.edited_secrets() == {} and form.client_cert.toPlainText() == ""


def test_a_stored_client_certificate_and_key_are_shown_the_key_masked(qtbot):
    from tests.support.mtls import issue

    client = issue("mtls-client")
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("mtls", issuer="https://idp.example", client_cert=client.cert_pem.decode()),
                      {"client_key": client.key_pem.decode()})
    assert form.client_cert.toPlainText() == client.cert_pem.decode()
    assert form.client_key.text() == client.key_pem.decode() and not form.client_key.edit.isVisible()
    assert form.edited_secrets() == {}


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


def test_the_pushed_requests_choice_round_trips_through_the_combo(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("par", issuer="https://idp.example"))
    assert form.use_par.currentText() == "As the provider requires" and form.profile().use_par is None
    for text, value in (("Always", True), ("Never", False)):
        form.show_profile(Profile("par", issuer="https://idp.example", use_par=value))
        assert form.use_par.currentText() == text and form.profile().use_par is value


def test_resources_round_trip_through_the_form(qtbot):
    form = ProfileForm()
    qtbot.addWidget(form)
    form.show_profile(Profile("api", issuer="https://idp.example", resources=("https://a.example", "urn:b")))
    assert form.resources.text() == "https://a.example urn:b"
    form.resources.setText("https://c.example  urn:d ")
    assert form.profile().resources == ("https://c.example", "urn:d")
