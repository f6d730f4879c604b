"""Encrypted ID tokens and userinfo answers inside a flow: decrypted with the settings' key, then
verified as signed ones are; a missing or wrong key is a finding and nothing of the content shows."""

import json

import httpx
import jwt

from inspector.core.flows.context import FlowEnvironment
from inspector.core.flows.model import FlowStatus, StepStatus
from inspector.core.flows.record import FlowRecord
from inspector.core.flows.runner import FlowRunner
from inspector.core.flows.settings import FlowSettings
from tests.support.fake_provider import ISSUER
from tests.support.id_tokens import KEY, NOW, id_token, provider_with
from tests.support.jwe import ec_jwk, encrypt, jwk_text, rsa_jwk

RECIPIENT = dict(rsa_jwk(), kid="enc-1", use="enc")
OTHER = dict(rsa_jwk(1), kid="enc-1", use="enc")


def encrypted_id_token(to=RECIPIENT, alg="RSA-OAEP-256", enc="A128CBC-HS256", **claims):
    return encrypt(id_token(**claims).encode(), to, alg, enc, kid=to.get("kid"), cty="JWT")


def run_refresh(id_token_value, decryption_key=None):
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token_value})
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10)
    settings = FlowSettings(issuer=ISSUER, client_id="app", client_secret="s", scope="openid", token="rt-old",
                            decryption_key=decryption_key)
    return FlowRunner("refresh", settings, env).run_all()


def codes(step):
    return [f.code for f in step.findings]


def test_an_encrypted_id_token_is_decrypted_then_its_signature_and_claims_verified():
    flow = run_refresh(encrypted_id_token(email="ann@example.test"), jwk_text(RECIPIENT))
    step = flow.step("id_token")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert step.output["valid"] is True and step.output["decrypted"] is True
    assert step.output["encrypted"] == {"alg": "RSA-OAEP-256", "enc": "A128CBC-HS256", "kid": "enc-1", "cty": "JWT"}
    assert step.output["claims"]["email"] == "ann@example.test"
    assert step.output["key"] == {"kid": "k1", "kty": "EC"}  # the signature's key: the provider's
    assert step.output["decryption_key"] == {"kid": "enc-1", "kty": "RSA"}
    assert "decrypted" in codes(step)


def test_an_ecdh_es_key_wrapped_id_token_decrypts_with_an_ec_key_from_a_jwks():
    recipient = dict(ec_jwk(), kid="ec-enc")
    token = encrypted_id_token(recipient, "ECDH-ES+A128KW", "A256GCM")
    flow = run_refresh(token, jwk_text(RECIPIENT, recipient))
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert flow.step("id_token").output["decryption_key"] == {"kid": "ec-enc", "kty": "EC"}


def test_the_nested_id_token_is_still_checked_after_decryption():
    flow = run_refresh(encrypted_id_token(aud="someone-else"), jwk_text(RECIPIENT))
    step = flow.step("id_token")
    assert step.status is StepStatus.ERROR and step.output["valid"] is False
    assert "decrypted" in codes(step) and "aud_mismatch" in codes(step)


def test_an_encrypted_but_unsigned_id_token_is_refused():
    claims = {"iss": ISSUER, "sub": "ann", "aud": "app", "iat": NOW, "exp": NOW + 300}
    token = encrypt(claims, RECIPIENT, "RSA-OAEP", "A256GCM", kid="enc-1")
    step = run_refresh(token, jwk_text(RECIPIENT)).step("id_token")
    assert step.status is StepStatus.ERROR and "not_signed" in codes(step)


def test_without_a_decryption_key_the_step_says_which_key_and_where_to_give_it():
    flow = run_refresh(encrypted_id_token())
    step = flow.step("id_token")
    assert step.status is StepStatus.ERROR and codes(step) == ["decryption_key_missing"]
    finding = step.findings[0]
    assert "an RSA private key (alg RSA-OAEP-256, enc A128CBC-HS256, kid 'enc-1')" in finding.message
    assert finding.advice.settings == ("decryption_key",)
    assert "--decrypt-key FILE" in finding.text(lambda setting: {"decryption_key": "--decrypt-key FILE"}[setting])
    assert "claims" not in step.output and step.output["decrypted"] is False


def test_a_wrong_key_is_a_finding_and_nothing_of_the_content_is_shown():
    flow = run_refresh(encrypted_id_token(email="secret@example.test"), jwk_text(OTHER))
    step = flow.step("id_token")
    assert step.status is StepStatus.ERROR and "jwe_wrong_key" in codes(step)
    assert "claims" not in step.output
    assert "secret@example.test" not in json.dumps(step.to_json(show_tokens=True))


def test_a_decryption_key_that_no_longer_loads_is_a_finding():
    step = run_refresh(encrypted_id_token(), json.dumps({"kty": "RSA", "n": "AQAB", "e": "AQAB"})).step("id_token")
    assert codes(step) == ["decryption_key_unusable"] and "public key" in step.findings[0].message


def test_the_history_keeps_the_id_token_as_issued_and_the_record_the_decrypted_claims_only_inside_it():
    token = encrypted_id_token(email="ann@example.test")
    flow = run_refresh(token, jwk_text(RECIPIENT))
    assert flow.step("token").output["token"]["id_token"] == token
    record = FlowRecord.of(flow)
    assert record.subject == "ann"  # the record is stored sealed, like every history entry


def device_flow(userinfo, decryption_key=None):
    provider = provider_with({"access_token": "at", "token_type": "Bearer", "id_token": id_token()}, userinfo)
    provider.on("/device", httpx.Response(200, json={"device_code": "dc", "user_code": "U", "verification_uri": "v",
                                                     "interval": 1}))
    env = FlowEnvironment(transport=provider.transport(), clock=lambda: NOW + 10, sleep=lambda s: None)
    settings = FlowSettings(issuer=ISSUER, client_id="app", scope="openid", decryption_key=decryption_key)
    return FlowRunner("device", settings, env).run_all()


def jwt_answer(body):
    return httpx.Response(200, content=body.encode(), headers={"content-type": "application/jwt"})


def test_a_signed_then_encrypted_userinfo_is_decrypted_and_its_signature_verified():
    signed = jwt.encode({"sub": "ann", "iss": ISSUER, "aud": "app", "email": "a@x"}, KEY, algorithm="ES256",
                        headers={"kid": "k1"})
    flow = device_flow(jwt_answer(encrypt(signed.encode(), RECIPIENT, "RSA-OAEP-256", "A256GCM", kid="enc-1",
                                          cty="JWT")), jwk_text(RECIPIENT))
    step = flow.step("userinfo")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert step.output["decrypted"] is True and step.output["signed"] is True
    assert step.output["claims"]["email"] == "a@x" and step.output["key"] == {"kid": "k1", "kty": "EC"}
    assert "userinfo_sub_match" in codes(step)


def test_an_only_encrypted_userinfo_gives_its_claims_and_says_it_is_unsigned():
    flow = device_flow(jwt_answer(encrypt({"sub": "ann", "email": "a@x"}, RECIPIENT, "RSA-OAEP", "A128GCM")),
                       jwk_text(RECIPIENT))
    step = flow.step("userinfo")
    assert flow.status is FlowStatus.OK, [f.to_json() for f in flow.all_findings()]
    assert step.output["signed"] is False and step.output["claims"]["email"] == "a@x"
    assert {"decrypted", "userinfo_unsigned", "userinfo_sub_match"} <= set(codes(step))


def test_an_encrypted_userinfo_with_another_sub_is_still_refused():
    flow = device_flow(jwt_answer(encrypt({"sub": "mallory"}, RECIPIENT, "RSA-OAEP", "A128GCM")), jwk_text(RECIPIENT))
    assert "userinfo_sub_mismatch" in codes(flow.step("userinfo"))


def test_an_encrypted_userinfo_without_a_key_fails_in_words():
    flow = device_flow(jwt_answer(encrypt({"sub": "ann"}, RECIPIENT, "RSA-OAEP", "A128GCM", kid="enc-1")))
    step = flow.step("userinfo")
    assert step.status is StepStatus.ERROR and codes(step) == ["decryption_key_missing"]
    assert step.findings[0].message.startswith("The userinfo response is encrypted")
    assert "claims" not in step.output


def test_a_tampered_encrypted_userinfo_is_a_finding_not_a_traceback():
    token = encrypt({"sub": "ann"}, RECIPIENT, "RSA-OAEP", "A128GCM").split(".")
    token[3] = token[3][:-4] + ("AAAA" if token[3][-4:] != "AAAA" else "BBBB")
    step = device_flow(jwt_answer(".".join(token)), jwk_text(RECIPIENT)).step("userinfo")
    assert step.status is StepStatus.ERROR and "jwe_tag_mismatch" in codes(step)
    assert "claims" not in step.output
