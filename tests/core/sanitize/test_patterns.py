"""Names are found from their keywords: every spelling, however far before its keyword a name
starts, left to right without overlap, and positions kept when lower-casing changes lengths."""

from inspector.core.sanitize.patterns import JWT, jwt_start, name_matches, reach_back


def names(text, personal=False):
    return [(found.group("qname") or found.group("pname"), found.group("qvalue") or found.group("pvalue"))
            for found in name_matches(text, personal)]


def test_a_name_starting_far_before_its_keyword():
    assert reach_back(False) >= len("subject_") + 4
    assert names('{"subject-token": "st-1", \\"actorToken\\": \\"at-1\\"}') == [("subject-token", "st-1"),
                                                                               ("actorToken", "at-1")]


def test_left_to_right_without_overlap():
    assert names("code=token-code-secret&client_secret=x&password=y") == [
        ("code", "token-code-secret"), ("client_secret", "x"), ("password", "y")]


def test_positions_survive_characters_that_lower_case_to_two():
    assert names("\u0130\u0130\u0130 code=abc") == [("code", "abc")]


def test_personal_names_only_when_asked():
    assert names("email=jane@example.com") == [] and names("email=jane@example.com", True) == [
        ("email", "jane@example.com")]


def test_where_a_jwt_starts():
    text = "a eyJa.eyJb.c xeyJa.eyJb.c"
    starts = [found.start() for found in JWT.finditer(text)]
    assert [jwt_start(text, start) for start in starts] == [True, False]
