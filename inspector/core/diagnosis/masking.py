"""Every report the engine returns is safe to show: what the artifact sent, masked wherever a
diagnosis quotes it back.

Evidence is made safe by name when it is built (:func:`~inspector.core.diagnosis.model.safe_value`),
but a diagnosis also quotes the provider's own words, and a provider or proxy that echoes the
client secret it was sent (in ``error_description``, a page, a header) would put that secret on
a card, in ``--json`` output, on the clipboard and in an exported report. So the engine masks each
report by value too, with one :class:`~inspector.core.redact.Redactor` per artifact: for a HAR,
every secret and token any of its exchanges carried; for flows, what they sent (``Flow.sent``).
A sanitized recording's markers are safe by construction and stay as they are, so equal values
keep reading equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from inspector.core.diagnosis.model import Diagnosis, DiagnosisReport, Evidence
from inspector.core.redact import Redactor, SentValues
from inspector.core.sanitize.markers import is_marker, signature_removed

if TYPE_CHECKING:
    from inspector.core.flows.model import Flow
    from inspector.core.har.model import HarTimeline, Params

__all__ = ["flows_redactor", "masked_report", "recording_redactor"]


def recording_redactor(timeline: "HarTimeline") -> Redactor:
    """Masks what every exchange of ``timeline`` sent or was given (parameters, credentials,
    callback values, a JSON answer's strings): its secrets wherever they appear, its tokens
    abbreviated wherever they appear."""
    values = SentValues()
    for exchange in timeline.exchanges:
        values.add_request(_unmarked(_pairs(exchange.params)), _unmarked(exchange.request_headers))
        values.add_request(_unmarked(_pairs(exchange.callback or {})), ())
        if isinstance(exchange.response_json, Mapping):
            values.add_request(_unmarked((str(name), value) for name, value in exchange.response_json.items()
                                         if isinstance(value, str)), ())
    return Redactor.of(values)


def flows_redactor(flows: Sequence["Flow"]) -> Redactor:
    """Masks what any of ``flows`` sent (their ``sent`` values; a flow read back from a record has
    none: its record was masked when it was written)."""
    sent = {value: kind for flow in flows for value, kind in flow.sent.items()}
    return Redactor(frozenset(), tuple(sorted(sent.items(), key=lambda pair: -len(pair[0]))))


def masked_report(report: DiagnosisReport, redactor: Redactor) -> DiagnosisReport:
    """``report`` with what ``redactor`` knows masked in every sentence and piece of evidence."""
    if not redactor.sent:
        return report
    return DiagnosisReport(report.input, tuple(
        Diagnosis(d.cause, d.confidence, redactor.text(d.summary), redactor.text(d.fix),
                  tuple(Evidence(e.kind, e.name, _masked(e.value, redactor), redactor.text(e.where))
                        for e in d.evidence), d.entries)
        for d in report.diagnoses))


def _masked(value: Any, redactor: Redactor) -> Any:
    """By value only: the evidence was masked by name when it was made, and a marker stays."""
    if isinstance(value, str):
        return value if is_marker(value) or signature_removed(value) else redactor.text(value)
    if isinstance(value, Mapping):
        return {_masked(key, redactor): _masked(item, redactor) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item, redactor) for item in value]
    return value


def _pairs(params: "Params") -> list[tuple[str, str]]:
    return [(name, value) for name, values in params.items() for value in values]


def _unmarked(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    """The pairs whose value is a real one: a sanitizer's marker (``Basic <marker>`` too) is no secret."""
    return [(name, value) for name, value in pairs
            if isinstance(value, str) and not is_marker(value.rpartition(" ")[2]) and not signature_removed(value)]
