"""Each diagnosis of a recording names the HAR entries it was found at (``Diagnosis.entries``),
so the app's timeline can mark the exchange that failed; merged diagnoses keep every entry."""

from inspector.core.diagnosis.model import Confidence, Diagnosis
from inspector.core.diagnosis.rank import rank
from tests.core.diagnosis.test_har import authorize, callback, diagnose, jwks, token, tokens


def test_a_refused_token_request_names_its_entry():
    report = diagnose(authorize(index=4), callback(index=9), token(index=14, redirect_uri="https://elsewhere.example"))
    assert [(d.cause, d.entries) for d in report.diagnoses] == [("redirect_uri_mismatch", (14,))]


def test_an_error_on_the_callback_names_the_callback():
    report = diagnose(authorize(index=1), callback(index=6, code=None, error="access_denied"))
    assert report.diagnoses[0].entries == (6,)


def test_an_id_token_judged_names_the_token_response_it_came_in():
    report = diagnose(authorize(), callback(), token(index=7, status=200, body=tokens(nonce="stale"), server_time=3.0),
                      jwks(index=8))
    assert [(d.cause, d.entries) for d in report.diagnoses] == [("nonce_mismatch", (7,))]


def test_the_same_cause_found_at_two_entries_keeps_both_once_merged():
    found = [Diagnosis("token_expired", Confidence.LIKELY, "S.", "F.", entries=(3,)),
             Diagnosis("token_expired", Confidence.CERTAIN, "S.", "F.", entries=(9,)),
             Diagnosis("token_expired", Confidence.CERTAIN, "S.", "F.", entries=(3,))]
    (merged,) = rank(found)
    assert merged.entries == (3, 9) and merged.confidence is Confidence.CERTAIN


def test_entries_stay_out_of_the_json_whose_evidence_names_them_in_words():
    report = diagnose(authorize(), callback(), token(index=14, redirect_uri="https://elsewhere.example"))
    data = report.to_json()["diagnoses"][0]
    assert "entries" not in data and any("HAR entry 14" in item["where"] for item in data["evidence"])
