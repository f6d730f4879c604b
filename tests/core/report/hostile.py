"""A report full of what a hostile provider or page could put in it, for the renderers' tests."""

from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence, EvidenceKind
from inspector.core.report.model import Exchange, Finding, Message, Report, Step, TokenView

SCRIPT = "<script>alert(document.cookie)</script>"
IMAGE = '<img src="https://evil.example/x.png" onerror="alert(1)">'
MARKDOWN = "[click](https://evil.example) ![x](https://evil.example/t.png) **bold** `code` | cell\n# heading"
CONTROL = "\x1b[2J\x1b]8;;https://evil.example\x07link\u202eReversed\u0000"


def hostile_report() -> Report:
    diagnosis = Diagnosis("invalid_client", Confidence.CERTAIN, f"The provider said {SCRIPT} {MARKDOWN}", f"Fix {IMAGE}",
                          (Evidence.of(EvidenceKind.TEXT, "error_description", f"{SCRIPT}{CONTROL}", "token request"),))
    body = f"```\n{SCRIPT}\n````\n</pre>{IMAGE}{CONTROL}"
    step = Step(f"token {MARKDOWN}", "400", "2027-01-15 08:00:00.250 UTC", 42.0, (
        Exchange(Message(f"POST https://idp.example/token?x={SCRIPT}", (("x-evil", IMAGE),), body),
                 Message("400", (("content-type", "text/html"),), body), 42.0),))
    return Report(f"login.har {SCRIPT}", "2027-01-15 08:00:00 UTC", {"code": 2, SCRIPT: 1}, (diagnosis,),
                  "OAuth exchanges", (step,), (Finding("state_mismatch", "error", f"{IMAGE}", f"step {SCRIPT}"),),
                  (TokenView(f"id_token {IMAGE}", {"alg": "RS256", "kid": SCRIPT}, {"name": MARKDOWN + CONTROL},
                             "Signature removed."),))
