from inspector.core.protocol.resources import (
    form_with_resources, grouped, param_pairs, resource_input, resource_problems,
)


def test_several_resources_travel_as_one_input_and_leave_as_one_parameter_each():
    text = resource_input(["https://a.example", "urn:b"])
    assert text == "https://a.example urn:b"
    assert param_pairs({"scope": "x", "resource": text}) == [("scope", "x"), ("resource", "https://a.example"),
                                                             ("resource", "urn:b")]
    assert form_with_resources({"resource": text, "scope": "x"}) == {"resource": ["https://a.example", "urn:b"],
                                                                     "scope": "x"}
    assert form_with_resources({"scope": "x"}) == {"scope": "x"}


def test_a_resource_must_be_an_absolute_uri_without_fragment():
    assert resource_problems(["https://api.example/v1", "urn:token-inspector:test-api"]) == []
    texts = [advice.render() for advice in resource_problems(["/relative", "https://api.example#x"])]
    assert "is not an absolute URI" in texts[0] and "has a fragment" in texts[1]


def test_a_record_keeps_every_value_of_a_repeated_parameter():
    assert grouped([("a", "1"), ("resource", "x"), ("resource", "y"), ("resource", "z")]) == {
        "a": "1", "resource": ["x", "y", "z"]}
