"""The scrubber's rules on one value, text or document: by name wherever a name stands next to a
value, JWTs anywhere, credentials and cookies, and every removal remembered for the by-value rule."""

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.jose.parse import decode
from inspector.core.protocol.pkce import s256_challenge
from inspector.core.sanitize.markers import Markers, challenge_of, is_marker, signature_removed
from inspector.core.sanitize.scrubber import Scrubber
from tests.support.diagnosis import id_token

KEY = b"k" * 32
CODE = "SplxlOBeZQQYbYS6WxSbIA-4f7a9"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


@pytest.fixture
def scrubber():
    return Scrubber(Markers(KEY))


def mark(value):
    return Markers(KEY).mark(value)


def test_json_by_name_at_any_depth(scrubber):
    cleaned = scrubber.json({"data": [{"session": {"refreshToken": "rt-" + "r" * 30, "state": "s1"}}],
                             "client_secret": "cs-" + "c" * 20})
    assert cleaned == {"data": [{"session": {"refreshToken": mark("rt-" + "r" * 30), "state": "s1"}}],
                       "client_secret": mark("cs-" + "c" * 20)}
    assert dict(scrubber.counts) == {"refresh_token": 1, "client_secret": 1}
    assert scrubber.removed == {"rt-" + "r" * 30: mark("rt-" + "r" * 30), "cs-" + "c" * 20: mark("cs-" + "c" * 20)}


def test_a_value_under_a_secret_name_that_is_not_text(scrubber):
    assert scrubber.json({"password": 12345678, "code": None, "token": {"access_token": "a" * 20}}) == {
        "password": mark("12345678"), "code": None, "token": {"access_token": mark("a" * 20)}}


def test_a_jwks_private_members_go_public_ones_stay(scrubber):
    key = {"kty": "RSA", "kid": "k1", "n": "nnnn", "e": "AQAB", "d": "dddd", "p": "pppp"}
    assert scrubber.json({"keys": [key]}) == {"keys": [{**key, "d": mark("dddd"), "p": mark("pppp")}]}
    assert scrubber.json({"p": "a paragraph"}) == {"p": "a paragraph"}  # not a JWK


@pytest.mark.parametrize("text, value", [
    (f"https://app.example/cb?state=s1&code={CODE}&iss=x", CODE),
    (f"https://app.example/cb#state=s1&access_token={CODE}", CODE),
    (f"grant_type=authorization_code&code={CODE}&redirect_uri=x", CODE),
    (f'{{"code":"{CODE}","state":"s1"}}', CODE),
    (f"var session = {{refresh_token: '{CODE}'}};", CODE),
    (f'config = "{{\\"accessToken\\":\\"{CODE}\\"}}"', CODE),
    (f"/login?next=https%3A%2F%2Fapp%2Fcb%3Fcode%3D{CODE}%26state%3Ds1", CODE),
])
def test_text_by_name(scrubber, text, value):
    cleaned = scrubber.text(text)
    assert value not in cleaned and mark(value) in cleaned
    assert "s1" in cleaned or "state" not in text


def test_a_name_inside_a_longer_name_is_not_that_name(scrubber):
    text = "https://app.example/api?code_version=7&authorization_code=x&grant_type=authorization_code"
    assert scrubber.text(text) == text


def test_a_percent_encoded_value_is_marked_by_what_it_means(scrubber):
    cleaned = scrubber.text("client_secret=a%2Fb%2Bc%3Dd%20eeeee")
    assert cleaned == f"client_secret={mark('a/b+c=d eeeee')}"


def test_a_form_post_pages_inputs_whatever_the_attribute_order(scrubber):
    page = (f'<form method="post" action="https://app/cb"><input type="hidden" value="{CODE}" name="code"/>'
            f'<input name="state" value="s1"><input name=id_token value=\'x.y\'></form>')
    cleaned = scrubber.text(page)
    assert f'value="{mark(CODE)}" name="code"' in cleaned and 'name="state" value="s1"' in cleaned
    assert CODE not in cleaned and f'value="{mark("x.y")}"' in cleaned


def test_a_multipart_part_named_like_a_secret(scrubber):
    body = ('--b\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\ncs-value-123\r\n'
            '--b\r\nContent-Disposition: form-data; name="client_id"\r\n\r\nweb\r\n--b--')
    cleaned = scrubber.text(body)
    assert "cs-value-123" not in cleaned and mark("cs-value-123") in cleaned and "\r\n\r\nweb\r\n" in cleaned


def test_credentials_keep_their_scheme(scrubber):
    assert scrubber.credential("Bearer at-" + "a" * 30, "authorization") == f"Bearer {mark('at-' + 'a' * 30)}"
    basic = base64.b64encode(b"web-app:s%C3%A9cret-value").decode()
    assert scrubber.credential(f"Basic {basic}", "authorization") == f"Basic {mark(basic)}"
    # the client secret inside is remembered, as sent and form-decoded (RFC 6749 §2.3.1)
    assert {"s%C3%A9cret-value", "s\u00e9cret-value", "web-app:s\u00e9cret-value"} <= set(scrubber.removed)
    assert scrubber.text("curl -H 'Authorization: Bearer opaque-token-123'") == \
        f"curl -H 'Authorization: Bearer {mark('opaque-token-123')}'"


def test_a_dpop_proof_and_a_bearer_jwt_keep_header_and_claims(scrubber):
    token = id_token()
    proof = scrubber.credential(token, "dpop")
    assert signature_removed(proof) and proof.rsplit(".", 1)[0] == token.rsplit(".", 1)[0]
    assert decode(proof).claims["sub"] == "248289761001"


def test_cookies_lose_their_values_and_keep_names_and_attributes(scrubber):
    assert scrubber.cookie_header("sid=abc123; lang=en") == f"sid={mark('abc123')}; lang={mark('en')}"
    assert scrubber.set_cookie_header('sid="abc123"; Path=/; HttpOnly\ncsrf=xyz; Secure') == \
        f'sid="{mark("abc123")}"; Path=/; HttpOnly\ncsrf={mark("xyz")}; Secure'
    assert scrubber.counts["cookie"] == 4


def test_a_urls_password(scrubber):
    assert scrubber.text("proxy https://alice:pa%24%24word@proxy.example:8080/") == \
        f"proxy https://alice:{mark('pa$$word')}@proxy.example:8080/"


def test_a_plain_challenge_is_the_verifier_an_s256_one_is_public(scrubber):
    s256 = f"/authorize?code_challenge={s256_challenge(VERIFIER)}&code_challenge_method=S256"
    assert scrubber.text(s256) == s256
    plain = scrubber.text(f"/authorize?code_challenge={VERIFIER}&code_challenge_method=plain")
    assert VERIFIER not in plain and challenge_of(Markers(KEY).verifier(VERIFIER)) in plain
    assert scrubber.json({"code_challenge": VERIFIER, "code_challenge_method": "plain"})["code_challenge"] == \
        Markers(KEY).verifier(VERIFIER)


def test_a_verifier_becomes_its_marker_with_the_challenge(scrubber):
    assert scrubber.text(f"code_verifier={VERIFIER}") == f"code_verifier={Markers(KEY).verifier(VERIFIER)}"


def test_any_jwt_anywhere_keeps_header_and_claims(scrubber):
    token = id_token()
    cleaned = scrubber.text(f"<script>var t = '{token}';</script>")
    stripped = cleaned.split("'")[1]
    assert token.rsplit(".", 1)[1] not in cleaned and signature_removed(stripped)
    assert decode(stripped).claims == decode(token).claims and scrubber.counts == {"jwt": 1}
    assert scrubber.text(f"x{token}") == f"x{token}"  # not where a token starts: a longer word


def test_personal_data_only_when_asked():
    claims = {"sub": "248", "email": "jane@example.com", "given_name": "Jane", "address": {"country": "DE"}}
    assert Scrubber(Markers(KEY)).json(claims) == claims
    masked = Scrubber(Markers(KEY), personal=True).json(claims)
    assert masked["sub"] == "248" and is_marker(masked["email"]) and is_marker(masked["given_name"])
    assert is_marker(masked["address"])
    assert "jane@example.com" not in Scrubber(Markers(KEY), personal=True).text("login_hint=jane@example.com")


def test_scrubbing_twice_changes_nothing_more(scrubber):
    text = f"code={CODE}&id_token={id_token()}&code_verifier={VERIFIER}"
    once = scrubber.text(text)
    total = scrubber.total
    assert scrubber.text(once) == once and scrubber.total == total


def test_text_without_anything_to_look_at_is_returned_as_is(scrubber):
    text = "function f(a,b){return a+b}; // " + "x" * 1000
    assert scrubber.text(text) is text and not scrubber.worth_a_look("short")


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("code=token\"':&?#%3D{}<input name value>eyJ.-_ \\\n")), max_size=200))
def test_any_text_is_scrubbed_without_an_error(text):
    Scrubber(Markers(KEY)).text(text)


@settings(max_examples=100)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(
                        st.sampled_from(["code", "kty", "d", "state", "token", "x"]), children, max_size=4)))
def test_any_json_is_scrubbed_without_an_error(value):
    json.dumps(Scrubber(Markers(KEY)).json(value))
