from inspector.core.flows.settings import FlowSettings


def test_sound_settings_have_no_problems():
    assert FlowSettings(issuer="https://op", client_id="c").problems() == []


def test_problems_say_what_to_do():
    problems = FlowSettings(issuer="https://op", auth_method="client_secret_post", timeout=0,
                            redirect_port=70000).problems()
    assert any("needs a client secret" in p for p in problems)
    assert any("timeout" in p for p in problems) and any("redirect port" in p for p in problems)
    assert FlowSettings(issuer="x", auth_method="private_key_jwt").problems() == [
        "private_key_jwt needs a private key: set the client's private key"]
    assert "unknown client authentication" in FlowSettings(issuer="x", auth_method="tls").problems()[0]


def test_secrets_stay_out_of_repr():
    text = repr(FlowSettings(issuer="x", client_secret="S3", private_key_pem=b"PK", token="T0"))
    assert "S3" not in text and "PK" not in text and "T0" not in text


def test_a_token_with_characters_no_token_has_is_a_problem_naming_the_character():
    problems = FlowSettings(issuer="x", token="eyJhbGciOi…(812 chars)").problems()
    assert len(problems) == 1 and "'…' (U+2026)" in problems[0] and "copy it again in full" in problems[0]
    assert FlowSettings(issuer="x", token="at-\u00e9").problems() != []
    assert FlowSettings(issuer="x", token="2YotnFZFEjr1zCsicMWpAA-._~+/=").problems() == []


def test_endpoints_by_hand_stand_in_for_the_issuer_and_must_be_known_urls():
    assert FlowSettings(issuer="", endpoints={"token_endpoint": "https://as/token"}).problems() == []
    assert FlowSettings(issuer="").problems() == [
        "set the issuer (its metadata is discovered) or the endpoints by hand"]
    [unknown] = FlowSettings(issuer="x", endpoints={"token_url": "https://as/token"}).problems()
    assert "unknown endpoint 'token_url'" in unknown and "token_endpoint" in unknown
    [bad] = FlowSettings(issuer="x", endpoints={"jwks_uri": "as/keys"}).problems()
    assert "the JWKS URL must be an http(s) URL" in bad and "'as/keys'" in bad


def test_auto_is_a_method_and_needs_neither_secret_nor_key():
    assert FlowSettings(issuer="https://op", client_id="c", auth_method="auto").problems() == []


def test_an_endpoint_that_is_not_http_is_named_without_its_password():
    problems = FlowSettings(issuer="", endpoints={"token_endpoint": "ftp://svc:pw-in-url-42@op.example/t"}).problems()
    assert any("ftp://svc:••••••@op.example/t" in problem for problem in problems)
    assert not any("pw-in-url-42" in problem for problem in problems)


def test_the_wait_for_sign_in_is_its_own_setting_defaulting_to_the_timeout():
    assert FlowSettings(issuer="x", timeout=30).sign_in_wait == 30
    assert FlowSettings(issuer="x", timeout=30, sign_in_timeout=600).sign_in_wait == 600
    assert "the time allowed to sign in must be a positive number of seconds" in FlowSettings(
        issuer="x", sign_in_timeout=float("nan")).problems()


def test_each_front_end_names_the_settings_a_problem_is_about():
    """The GUI showed 'This profile cannot run the flow: ... (--key PEM)', a flag it has no box for."""
    from inspector.cli.setting_names import flag_namer

    settings = FlowSettings(issuer="x", auth_method="private_key_jwt", timeout=0,
                            endpoints={"token_endpoint": "as/token"})
    cli = settings.problems(flag_namer())
    assert "private_key_jwt needs a private key: set --key PEM" in cli
    assert any(problem.startswith("--timeout SECONDS must be") for problem in cli)
    assert any(problem.startswith("--token-endpoint URL must be an http(s) URL") for problem in cli)
    gui = settings.problems(lambda setting: f"<{setting} field>")
    assert "private_key_jwt needs a private key: set <private_key_pem field>" in gui
    assert not any("--" in problem for problem in gui)
