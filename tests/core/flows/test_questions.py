from inspector.core.flows.questions import DeviceCodeQuestion, OpenUrlQuestion


def test_open_url_question_text_depends_on_whether_the_browser_opened():
    assert "was opened" in OpenUrlQuestion("https://op/auth", True).text
    data = OpenUrlQuestion("https://op/auth", False, "http://127.0.0.1:5000/cb", 120).to_json()
    assert {k: data[k] for k in ("kind", "url", "opened", "redirect_uri", "timeout")} == {
        "kind": "open_url", "url": "https://op/auth", "opened": False, "redirect_uri": "http://127.0.0.1:5000/cb",
        "timeout": 120}


def test_while_waiting_the_question_says_which_redirect_uri_to_register_if_the_browser_shows_an_error():
    question = OpenUrlQuestion("https://op/auth", True, "http://127.0.0.1:5000/cb", 120)
    assert "exactly http://127.0.0.1:5000/cb registered" in question.if_refused.render()
    assert "redirect_uri did not match" in question.if_refused.render()
    assert question.if_refused.settings == ()


def test_a_port_chosen_per_run_names_the_redirect_port_setting_for_each_front_end_to_word():
    advice = OpenUrlQuestion("https://op/auth", True, "http://127.0.0.1:5000/cb", 120, any_port=True).if_refused
    assert advice.settings == ("redirect_port",)
    assert "set the redirect port to a fixed port and register that URI" in advice.render()
    assert "set --redirect-port to a fixed port" in advice.render(lambda name: "--redirect-port")


def test_device_question_says_where_and_what_to_enter():
    question = DeviceCodeQuestion("ABCD-EFGH", "https://op/device", None, 600)
    assert question.text == "On any device, visit https://op/device and enter the code ABCD-EFGH."
    assert question.to_json()["verification_uri_complete"] is None
