"""DiagnosisSession: one diagnosis at a time in a worker; a new input silences the last; a HAR's
timeline and progress come back; what is expected comes from the fields, then the profile; the
issuer is reached only when the person asks."""

from __future__ import annotations

import pytest

from inspector.core.flows.cancel import CancelToken
from inspector.core.har.reader import read_har
from inspector.core.storage.profile_model import Profile
from inspector.ui.diagnosis_session import DiagnosisSession, Expectations, Subject, build_context
from tests.support.diagnosis import CLIENT, ISSUER, NOW, FakeIssuer, id_token
from tests.support.har_login import FAILING_ENTRY, failing_login

WAIT = 10_000


@pytest.fixture
def session(context):
    return DiagnosisSession(context)


def outcome_of(qtbot, session, subject, expected=Expectations()):
    with qtbot.waitSignal(session.finished, timeout=WAIT) as finished:
        session.run(subject, expected)
    return finished.args[0]


def test_a_har_file_comes_back_with_its_timeline_and_progress_up_to_the_end(qtbot, session, tmp_path):
    path = failing_login().write(tmp_path / "login.har")
    seen: list[float] = []
    session.progress.connect(seen.append)
    outcome = outcome_of(qtbot, session, Subject("the file login.har", path=path))
    assert outcome.report.input == "har" and outcome.report.diagnoses[0].entries == (FAILING_ENTRY,)
    assert outcome.timeline.exchanges[-1].index == FAILING_ENTRY and outcome.redactor is not None
    assert seen and seen == sorted(seen) and seen[-1] == 1.0
    assert not session.busy


def test_a_har_pasted_as_text_is_read_by_the_same_reader(qtbot, session):
    outcome = outcome_of(qtbot, session, Subject("the pasted text", text=failing_login().dumps().decode()))
    assert outcome.report.input == "har" and outcome.timeline is not None


def test_a_new_input_cancels_the_one_still_being_read_which_reports_nothing(qtbot, context):
    gate = CancelToken()
    readers: list[CancelToken] = []

    def slow_reader(source, cancel, progress):
        readers.append(cancel)
        gate.wait(WAIT / 1000)  # held until the test lets it go
        return read_har(source, cancel=cancel, progress=progress)

    session = DiagnosisSession(context, har_reader=slow_reader)
    finished: list = []
    session.finished.connect(finished.append)
    session.run(Subject("the first file", text=failing_login().dumps().decode()), Expectations())
    qtbot.waitUntil(lambda: bool(readers), timeout=WAIT)
    with qtbot.waitSignal(session.finished, timeout=WAIT):
        session.run(Subject("the pasted text", text='{"error": "invalid_client"}'), Expectations())
    assert readers[0].cancelled
    gate.cancel()  # the first reader goes on, sees its cancel and stops
    qtbot.waitUntil(lambda: context.pool.active == 0, timeout=WAIT)
    assert [outcome.subject.label for outcome in finished] == ["the pasted text"]


def test_unusable_input_fails_with_the_engines_message(qtbot, session):
    with qtbot.waitSignal(session.failed, timeout=WAIT) as failed:
        session.run(Subject("the pasted text", text="hello there"), Expectations())
    subject, error = failed.args
    assert subject.label == "the pasted text" and error.code == "unusable_input"


def test_the_profile_fills_what_the_fields_leave_empty(context):
    context.storage.profiles.add(Profile("acme", issuer=ISSUER, client_id=CLIENT))
    ctx, source, used = build_context(context, Expectations(profile="acme", nonce=" n-1 "), CancelToken())
    assert (ctx.issuer, ctx.client_id, ctx.nonce, ctx.source, source) == (ISSUER, CLIENT, "n-1", None, None)
    assert used == ("profile 'acme'", f"issuer {ISSUER}", f"client id {CLIENT}", "nonce n-1")
    ctx, _source, _used = build_context(context, Expectations(issuer="https://other.example", profile="acme",
                                                              expect="id_token"), CancelToken())
    assert (ctx.issuer, ctx.client_id, ctx.expect) == ("https://other.example", CLIENT, "id_token")


def test_a_profile_that_no_longer_exists_is_left_out(context):
    ctx, _source, used = build_context(context, Expectations(profile="gone"), CancelToken())
    assert ctx.issuer is None and used == ()


def test_the_issuer_is_reached_only_when_asked(qtbot, context):
    provider = FakeIssuer()
    context.transport = provider.transport()
    context.clock = lambda: NOW
    context.storage.profiles.add(Profile("acme", issuer=ISSUER, client_id=CLIENT,
                                         endpoints={"jwks_uri": f"{ISSUER}/jwks"}))
    session = DiagnosisSession(context)
    token = id_token(index=3, kid="k9")
    outcome_of(qtbot, session, Subject("the saved token", text=token), Expectations(profile="acme"))
    assert provider.requests == []
    outcome = outcome_of(qtbot, session, Subject("the saved token", text=token),
                         Expectations(profile="acme", fetch=True))
    assert outcome.report.diagnoses[0].cause == "signing_key_rotated" and "/jwks" in provider.requests
    assert "the issuer's current keys" in outcome.used


def test_fetching_from_another_issuer_than_the_profiles_does_not_use_the_profiles_jwks(context):
    context.storage.profiles.add(Profile("acme", issuer=ISSUER, endpoints={"jwks_uri": f"{ISSUER}/jwks"}))
    _ctx, source, _used = build_context(context, Expectations(issuer="https://other.example.com", profile="acme",
                                                              fetch=True), CancelToken())
    assert source.jwks_url is None and source.issuer == "https://other.example.com"
    _ctx, source, _used = build_context(context, Expectations(profile="acme", fetch=True), CancelToken())
    assert source.jwks_url == f"{ISSUER}/jwks"
