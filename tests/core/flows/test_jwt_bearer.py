"""The JWT bearer grant (RFC 7523 §2.1) against a MockTransport provider."""

from urllib.parse import parse_qs

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from inspector.core.redact import MASK
from tests.support.fake_provider import ISSUER, FakeProvider

NOW = 1_700_000_000
KEY = ec.generate_private_key(ec.SECP256R1())
PEM = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def runner(provider, **settings):
    base = dict(issuer=ISSUER, client_id="svc", auth_method="none", assertion_key_pem=PEM)
    base.update(settings)
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW, random=lambda n: "j" * n)
    return FlowRunner("jwt_bearer", FlowSettings(**base), env)


def sent(provider):
    return {name: values[0] for name, values in parse_qs(provider.calls[-1].content.decode()).items()}


def test_the_assertion_is_signed_for_the_token_endpoint_and_shown_decoded_but_masked_in_the_record():
    provider = FakeProvider()
    flow = runner(provider, scope="read", assertion_claims={"sub": "user-42", "exp": NOW + 600}).run_all()
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    form = sent(provider)
    assert form["grant_type"] == GRANT and form["scope"] == "read" and form["client_id"] == "svc"
    assert not any(name.startswith("assertion.") for name in form)
    claims = jwt.decode(form["assertion"], KEY.public_key(), algorithms=["ES256"], audience=f"{ISSUER}/token",
                        options={"verify_exp": False, "verify_iat": False})
    assert claims == {"iss": "svc", "sub": "user-42", "aud": f"{ISSUER}/token", "iat": NOW, "exp": NOW + 600,
                      "jti": "j" * 24}
    step = flow.step("token")
    assert step.output["assertion_claims"] == claims and step.output["assertion_header"]["alg"] == "ES256"
    record = step.to_json(show_tokens=True)
    assert record["request"]["params"]["assertion"] == MASK and form["assertion"] not in str(record)
    assert record["assertion_claims"]["sub"] == "user-42"


def test_the_claims_are_step_inputs_a_person_can_edit_before_sending():
    provider = FakeProvider()
    run = runner(provider)
    run.run_next()  # discovery
    step = run.prepare_next()
    assert step is not None and step.name == "token"
    assert step.inputs["assertion.iss"] == "svc" and step.inputs["assertion.exp"] == str(NOW + 300)
    assert step.output["assertion_claims"]["aud"] == f"{ISSUER}/token"
    step.inputs["assertion.sub"] = "12345"
    step.inputs["assertion.roles"] = '["admin"]'
    run.run_all()
    claims = jwt.decode(sent(provider)["assertion"], options={"verify_signature": False})
    assert claims["sub"] == "12345" and claims["roles"] == ["admin"]


def test_an_assertion_living_over_an_hour_is_never_signed_nor_sent():
    provider = FakeProvider()
    flow = runner(provider, assertion_claims={"exp": NOW + 7200}).run_all()
    assert provider.paths() == ["/.well-known/openid-configuration"]
    step = flow.step("token")
    assert step.status is StepStatus.ERROR
    assert [f.code for f in step.findings] == ["assertion_lifetime_too_long"]
    assert "valid for 120 minutes" in step.findings[0].message


def test_without_a_key_it_says_what_to_give():
    provider = FakeProvider()
    flow = runner(provider, assertion_key_pem=None).run_all()
    assert [f.code for f in flow.step("token").findings] == ["assertion_key_missing"]
    assert provider.paths() == ["/.well-known/openid-configuration"]


def test_the_profiles_private_key_signs_when_no_assertion_key_is_given():
    provider = FakeProvider()
    flow = runner(provider, assertion_key_pem=None, private_key_pem=PEM, key_id="k1").run_all()
    assert flow.status is FlowStatus.OK
    assert jwt.get_unverified_header(sent(provider)["assertion"]) == {"alg": "ES256", "typ": "JWT", "kid": "k1"}


def test_a_given_assertion_is_sent_as_is_shown_decoded_and_masked():
    given = jwt.encode({"iss": "elsewhere", "sub": "u", "aud": "x", "exp": NOW + 60}, KEY, algorithm="ES256")
    provider = FakeProvider()
    provider.on("/token", httpx.Response(400, json={"error": "invalid_grant",
                                                    "error_description": f"bad assertion {given}"}))
    flow = runner(provider, assertion_key_pem=None, assertion=given).run_all()
    assert sent(provider)["assertion"] == given
    step = flow.step("token")
    assert step.output["assertion_claims"]["iss"] == "elsewhere"
    assert step.output["error"] == "invalid_grant"
    assert given not in str(step.to_json(show_tokens=True)), "an echoed assertion is masked too"
    assert any("subject token or assertion" in f.message for f in step.findings)
