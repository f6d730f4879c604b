"""A flow's record as the history keeps it: the JSON lines ``flow --json`` prints, bounded.

The lines are the core's redacted rendering (:meth:`Step.to_json`, :meth:`Flow.done_json`, with
the tokens ``--json`` shows in full): client secrets, assertions and PKCE verifiers are masked and
refresh tokens abbreviated before anything is stored. Beside them: the grant, outcome, profile,
issuer and the title of every step, so a saved flow can be shown again as the flow it was
(:meth:`FlowRecord.to_flow`), steps never reached included.

A record stays small enough for a history of 1,000 entries to open at once: response bodies over
:data:`BODY_LIMIT` characters are cut, and if the record is still over :data:`RECORD_LIMIT`, long
exchange lists (device polling) keep their first and last few, bodies are cut shorter, and as a
last resort only each step's outcome and findings are kept. Every cut is said in the record — on
the response (``body_truncated``), on the step (``exchanges_omitted``) and in the done line
(``truncated``). Stored compressed; standard library only (the flow model is imported only to
rebuild a flow).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspector.core.errors import StorageError
from inspector.core.redact import SCRIPT_TOKENS

if TYPE_CHECKING:
    from inspector.core.flows.model import Exchange, Flow

__all__ = ["BODY_LIMIT", "RECORD_LIMIT", "FlowRecord"]

RECORD_FORMAT = 1
#: Characters of one response body (as JSON text) a stored record keeps.
BODY_LIMIT = 16_384
#: Characters of JSON a whole stored record may take before it is thinned further.
RECORD_LIMIT = 131_072
#: Then: bodies are cut to this, and a step keeps this many of its first and of its last exchanges.
SHORT_BODY_LIMIT, EXCHANGES_KEPT = 1_024, 5
#: Longest finding message kept when only the outline of a record fits.
MESSAGE_LIMIT = 1_000
#: A decompressed record larger than this is damage, not a record.
_MAX_DECODED = 64 * 1024 * 1024
_STEP_KEYS = ("step", "status", "request", "response", "elapsed_ms", "exchanges", "exchanges_omitted",
              "duration_ms", "findings")  # fmt: skip


@dataclass(frozen=True)
class FlowRecord:
    """``lines``: one dict per step that ran (or was skipped), then the done line."""

    grant: str
    status: str
    lines: tuple[dict[str, Any], ...]
    titles: tuple[tuple[str, str], ...] = ()
    profile: str = ""
    issuer: str = ""
    started_at: float | None = None
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, flow: Flow, *, profile: str = "", issuer: str = "") -> FlowRecord:
        """The record of a finished (or stopped) ``flow``, redacted and bounded."""
        lines = [step.to_json(show_tokens=SCRIPT_TOKENS) for step in flow.steps if step.status.value != "pending"]
        lines.append(flow.done_json(show_tokens=SCRIPT_TOKENS))
        lines, notes = _bounded(lines)
        if notes:
            lines[-1]["truncated"] = notes
        discovered = next((line.get("issuer") for line in lines if line["step"] == "discovery"), None)
        return cls(flow.grant, flow.status.value, tuple(lines), tuple((s.name, s.title) for s in flow.steps),
                   profile, issuer or (discovered if isinstance(discovered, str) else ""), flow.started_at,
                   tuple(notes))  # fmt: skip

    @property
    def id(self) -> str:
        return str(self.lines[-1].get("id", "")) if self.lines else ""

    @property
    def subject(self) -> str:
        """The user the flow signed in: ``sub`` of the ID token's claims, else of userinfo's."""
        for name in ("id_token", "userinfo"):
            for line in self.lines:
                claims = line.get("claims") if line.get("step") == name else None
                if isinstance(claims, dict) and isinstance(claims.get("sub"), str):
                    return claims["sub"]
        return ""

    def encode(self) -> bytes:
        document = {"format": RECORD_FORMAT, "grant": self.grant, "status": self.status, "profile": self.profile,
                    "issuer": self.issuer, "started_at": self.started_at, "titles": [list(t) for t in self.titles],
                    "notes": list(self.notes), "lines": list(self.lines)}  # fmt: skip
        return zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def decode(cls, data: bytes, where: str = "The saved flow") -> FlowRecord:
        try:
            inflater = zlib.decompressobj()
            text = inflater.decompress(data, _MAX_DECODED)
            if inflater.unconsumed_tail:
                raise ValueError("it is larger than any record")
            document = json.loads(text)
            if int(document["format"]) > RECORD_FORMAT:
                raise StorageError(f"{where} was saved by a newer Token Inspector (record format "
                                   f"{document['format']}).", hint="Upgrade Token Inspector to show it.")  # fmt: skip
            return cls(str(document["grant"]), str(document["status"]), tuple(document["lines"]),
                       tuple((str(name), str(title)) for name, title in document["titles"]),
                       str(document["profile"]), str(document["issuer"]), document["started_at"],
                       tuple(map(str, document["notes"])))  # fmt: skip
        except (zlib.error, ValueError, KeyError, TypeError) as exc:
            raise StorageError(f"{where} is damaged and cannot be shown ({exc}).") from exc

    def to_flow(self) -> Flow:
        """The flow rebuilt from its record, for showing it again: every step of the grant in
        order (those never reached as pending), with its exchanges, findings, output and timing.
        Values are as stored: already redacted, possibly cut."""
        try:
            return self._rebuilt()
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise StorageError(f"The saved flow is damaged and cannot be shown ({exc}).") from exc

    def _rebuilt(self) -> Flow:
        from inspector.core.flows.model import Flow, FlowStatus, Step, StepStatus

        done = self.lines[-1] if self.lines else {}
        ran = {line["step"]: line for line in self.lines[:-1]}
        titles = self.titles or tuple((name, name) for name in ran)
        steps = [Step(name, title) for name, title in titles]
        for step in steps:
            line = ran.get(step.name)
            if line is not None:
                step.status, step.prepared = StepStatus(line["status"]), True
                step.exchanges = _exchanges(line)
                step.findings = [_finding(item, step.name) for item in line.get("findings", [])]
                step.duration = float(line.get("duration_ms", 0)) / 1000
                step.output = _output(line)
        stepped = sum(len(step.findings) for step in steps)
        own = [_finding(item, None) for item in done.get("findings", [])[stepped:]]
        return Flow(self.grant, steps, id=str(done.get("id", "")), status=FlowStatus(self.status),
                    started_at=self.started_at, duration=float(done.get("duration_ms", 0)) / 1000, findings=own)


def _bounded(lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    notes: list[str] = []
    lines = [_with_bodies_cut(line, BODY_LIMIT, notes) for line in lines]
    if _size(lines) > RECORD_LIMIT:
        lines = [_with_exchanges_thinned(line, notes) for line in lines]
        lines = [_with_bodies_cut(line, SHORT_BODY_LIMIT, notes) for line in lines]
    if _size(lines) > RECORD_LIMIT:
        notes.append(f"The record was too large to keep whole ({_size(lines):,} characters): only each step's "
                     "outcome, timing and findings were kept.")  # fmt: skip
        lines = [_outline(line) for line in lines]
    return lines, notes


def _size(lines: list[dict[str, Any]]) -> int:
    return len(json.dumps(lines, ensure_ascii=False, separators=(",", ":")))


def _with_bodies_cut(line: dict[str, Any], limit: int, notes: list[str]) -> dict[str, Any]:
    line = dict(line)
    if isinstance(line.get("response"), dict):
        line["response"] = _cut_body(line["response"], limit, line["step"], notes)
    if isinstance(line.get("exchanges"), list):
        line["exchanges"] = [
            {**item, "response": _cut_body(item["response"], limit, line["step"], notes)}
            if isinstance(item, dict) and isinstance(item.get("response"), dict) else item
            for item in line["exchanges"]
        ]  # fmt: skip
    return line


def _cut_body(response: dict[str, Any], limit: int, step: str, notes: list[str]) -> dict[str, Any]:
    body = response.get("body")
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    if len(text) <= limit:
        return response
    original = response.get("body_truncated", {}).get("chars", len(text))
    notes.append(f"Step {step}: a response body of {original:,} characters was cut to {limit:,} when saved.")
    return {**response, "body": text[:limit], "body_truncated": {"chars": original, "kept": limit}}


def _with_exchanges_thinned(line: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    exchanges = line.get("exchanges")
    if not isinstance(exchanges, list) or len(exchanges) <= 2 * EXCHANGES_KEPT:
        return line
    omitted = len(exchanges) - 2 * EXCHANGES_KEPT
    notes.append(f"Step {line['step']}: {omitted:,} of its {len(exchanges):,} exchanges were left out when saved "
                 f"(the first and last {EXCHANGES_KEPT} are kept).")  # fmt: skip
    return {**line, "exchanges": exchanges[:EXCHANGES_KEPT] + exchanges[-EXCHANGES_KEPT:], "exchanges_omitted": omitted}


def _outline(line: dict[str, Any]) -> dict[str, Any]:
    kept = {key: line[key] for key in ("step", "status", "flow", "id", "duration_ms") if key in line}
    kept["findings"] = [{**item, "message": str(item.get("message", ""))[:MESSAGE_LIMIT]}
                        for item in line.get("findings", []) if isinstance(item, dict)]  # fmt: skip
    return kept


def _output(line: dict[str, Any]) -> dict[str, Any]:
    output = {key: value for key, value in line.items() if key not in _STEP_KEYS}
    if line.get("response") is None and "request" in line:
        output.pop("error", None)  # the exchange's transport error, not an OAuth error the step read
    return output


def _exchanges(line: dict[str, Any]) -> list[Exchange]:
    if isinstance(line.get("exchanges"), list):
        return [_exchange(item) for item in line["exchanges"] if isinstance(item, dict)]
    if isinstance(line.get("request"), dict):
        return [_exchange(line)]
    return []


def _exchange(data: dict[str, Any]) -> Exchange:
    from inspector.core.flows.model import Exchange

    request, response = data.get("request") or {}, data.get("response")
    exchange = Exchange(str(request.get("method", "")), str(request.get("url", "")), dict(request.get("headers") or {}),
                        dict(request.get("params") or {}), elapsed=float(data.get("elapsed_ms", 0)) / 1000,
                        error=data.get("error") if response is None else None)  # fmt: skip
    if isinstance(response, dict):
        exchange.status = response.get("status")
        exchange.response_headers = dict(response.get("headers") or {})
        exchange.body = response.get("body")
        cut = response.get("body_truncated")
        if isinstance(cut, dict):
            exchange.body = (f"{exchange.body}\n… (cut when saved: {cut.get('chars', 0):,} characters, "
                             f"{cut.get('kept', 0):,} kept)")  # fmt: skip
    return exchange


def _finding(data: dict[str, Any], part: str | None) -> Any:
    from inspector.core.findings import Finding, Severity

    return Finding(str(data.get("code", "")), Severity(data.get("severity", "info")), str(data.get("message", "")),
                   data.get("claim"), part)  # fmt: skip
