from inspector.core.flows.questions import DeviceCodeQuestion, OpenUrlQuestion


def test_open_url_question_text_depends_on_whether_the_browser_opened():
    assert "was opened" in OpenUrlQuestion("https://op/auth", True).text
    assert OpenUrlQuestion("https://op/auth", False).to_json() == {"kind": "open_url", "url": "https://op/auth",
                                                                    "opened": False}


def test_device_question_says_where_and_what_to_enter():
    question = DeviceCodeQuestion("ABCD-EFGH", "https://op/device", None, 600)
    assert question.text == "On any device, visit https://op/device and enter the code ABCD-EFGH."
    assert question.to_json()["verification_uri_complete"] is None
