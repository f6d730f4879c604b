"""The bridge between the diagnosis engine and the Diagnose panel: one diagnosis at a time, in a
worker, so reading a large HAR (with progress) or reaching the issuer never blocks the window.

A new input cancels the one still being read; closing the window cancels it through the pool.
What the person expects (issuer, client id, nonce, kind of token) comes from the panel's fields,
and what they leave empty from a profile (the active one, or the profile a flow or a history
entry was made with). Only the issuer is ever contacted — its discovery document and JWKS, and
only when the person asks; a HAR's or a flow's URLs are evidence, never fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, Signal

from inspector.core.errors import ProfileNotFoundError
from inspector.ui.context import HTTP_TIMEOUT, AppContext
from inspector.ui.workers import Job, Worker

if TYPE_CHECKING:
    from inspector.core.diagnosis.model import DiagnosisContext, DiagnosisReport
    from inspector.core.flows.cancel import CancelToken
    from inspector.core.har.model import HarTimeline
    from inspector.core.redact import Redactor

#: Reads a HAR (bytes or text) into its timeline: (source, cancel, progress) -> HarTimeline.
HarReader = Callable[[Any, "CancelToken", Callable[[float], None]], "HarTimeline"]
#: A file starting like a HAR (``{"log":``) is read by the HAR reader straight away, with progress.
_HAR_START = re.compile(rb'\s*(?:\xef\xbb\xbf)?\s*\{\s*"log"\s*:')
#: Share of the progress bar for reading the file, before the HAR reader reports.
_READ = 0.05


def read_har_with_progress(source: Any, cancel: "CancelToken", progress: Callable[[float], None]) -> "HarTimeline":
    from inspector.core.har.reader import read_har

    return read_har(source, cancel=cancel, progress=progress)


@dataclass(frozen=True)
class Subject:
    """What is diagnosed: pasted ``text``, a file at ``path`` or core ``flows``; ``label`` names it
    in sentences ("the file login.har")."""

    label: str
    text: str | None = None
    path: Path | None = None
    flows: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Expectations:
    """The panel's fields; empty means not given. ``profile`` supplies issuer and client id left
    empty, and its JWKS URL and CA bundle when ``fetch`` allows reaching the issuer."""

    issuer: str = ""
    client_id: str = ""
    nonce: str = ""
    expect: str = ""
    profile: str = ""
    fetch: bool = False


@dataclass(frozen=True)
class Outcome:
    subject: Subject
    report: "DiagnosisReport"
    timeline: "HarTimeline | None" = None
    redactor: "Redactor | None" = None  # masks what the timeline's exchanges carry
    used: tuple[str, ...] = ()  # what was expected, in words ("issuer https://…")


class DiagnosisSession(QObject):
    """Signals arrive in the GUI thread, only for the current diagnosis."""

    started = Signal(object)  # Subject
    progress = Signal(float)  # 0..1
    finished = Signal(object)  # Outcome
    failed = Signal(object, object)  # Subject, the exception (an InspectorError for unusable input)
    cancelled = Signal()

    def __init__(self, context: AppContext, parent: QObject | None = None,
                 har_reader: HarReader = read_har_with_progress) -> None:
        super().__init__(parent)
        self.context = context
        self.har_reader = har_reader
        self._worker: Worker | None = None
        self._generation = 0  # a worker reports only while it is the current one

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def run(self, subject: Subject, expected: Expectations) -> None:
        """Diagnose ``subject`` in a worker, cancelling the diagnosis still running."""
        self.cancel()
        context, reader = self.context, self.har_reader

        def job(job: Job) -> Outcome:
            ctx, source, used = build_context(context, expected, job.cancel)
            try:
                return diagnose(subject, ctx, reader, job, used)
            finally:
                if source is not None:
                    source.close()

        self._generation += 1
        generation = self._generation

        def current() -> bool:
            return generation == self._generation

        def ended() -> bool:
            if not current():
                return False
            self._worker = None
            return True

        self._worker = context.pool.start(
            job, name="diagnose",
            on_progress=lambda value: current() and self.progress.emit(value),
            on_finished=lambda outcome: ended() and self.finished.emit(outcome),
            on_errored=lambda exc: ended() and self.failed.emit(subject, exc),
            on_cancelled=lambda: ended() and self.cancelled.emit())
        self.started.emit(subject)

    def cancel(self) -> None:
        """Stop the running diagnosis; it reports nothing more."""
        self._generation += 1
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()


def build_context(context: AppContext, expected: Expectations,
                  cancel: "CancelToken") -> tuple["DiagnosisContext", Any, tuple[str, ...]]:
    """The engine's context from the fields and the profile (read from the store here, in the
    worker); an IssuerSource only when the person allowed fetching (closed by ``cancel``)."""
    from inspector.core.diagnosis.model import DiagnosisContext

    profile = _profile(context, expected.profile)
    issuer = expected.issuer.strip() or (profile.issuer if profile else "")
    client_id = expected.client_id.strip() or (profile.client_id if profile else "")
    source = None
    if expected.fetch and issuer:
        from inspector.core.diagnosis.remote import IssuerSource

        same = profile is not None and issuer == profile.issuer
        source = IssuerSource(issuer=issuer, jwks_url=(profile.endpoints.get("jwks_uri") or None) if same else None,
                              timeout=HTTP_TIMEOUT, ca_bundle=(profile.ca_bundle or None) if same else None,
                              transport=context.transport, clock=context.clock)
        cancel.on_cancel(source.close)  # closing aborts a fetch in flight
    nonce = expected.nonce.strip()
    used = tuple(text for text in (
        f"profile {profile.name!r}" if profile else "", f"issuer {issuer}" if issuer else "",
        f"client id {client_id}" if client_id else "", f"nonce {nonce}" if nonce else "",
        f"expected {expected.expect.replace('_', ' ')}" if expected.expect else "",
        "the issuer's current keys" if source is not None else "") if text)
    ctx = DiagnosisContext(issuer=issuer or None, client_id=client_id or None, nonce=nonce or None,
                           expect=expected.expect or None, source=source, clock=context.clock)
    return ctx, source, used


def _profile(context: AppContext, name: str) -> Any:
    """The saved profile ``name``; None when none is chosen or it no longer exists."""
    if not name:
        return None
    try:
        with context.storage_lock:
            return context.storage.profiles.get(name)
    except ProfileNotFoundError:
        return None


def diagnose(subject: Subject, ctx: "DiagnosisContext", reader: HarReader, job: Job,
             used: tuple[str, ...] = ()) -> Outcome:
    """Run the engine on ``subject``; a HAR's timeline comes back with the report (which the engine
    masked already) and the redactor that masks its exchanges the same way."""
    from inspector.core.diagnosis import engine

    read: list[HarTimeline] = []

    def har_reader(source: Any, start: float = 0.0) -> "HarTimeline":
        timeline = reader(source, job.cancel, lambda value: job.report(start + (1 - start) * value))
        read.append(timeline)
        return timeline

    if subject.flows:
        report = engine.diagnose_flows(subject.flows, ctx)
    elif subject.path is not None:
        from inspector.core.diagnosis.detect import as_text, read_artifact

        data = read_artifact(str(subject.path))
        job.report(_READ)
        if _HAR_START.match(data[:4096]):
            report = engine.diagnose_har(har_reader(data, _READ), ctx)
        else:
            report = engine.diagnose_text(as_text(data, f"The file {subject.path.name!r}"), ctx, har_reader=har_reader)
    else:
        report = engine.diagnose_text(subject.text or "", ctx, har_reader=har_reader)
    timeline = read[-1] if read else None
    redactor = None
    if timeline is not None:
        from inspector.core.diagnosis.masking import recording_redactor

        redactor = recording_redactor(timeline)
    return Outcome(subject, report, timeline, redactor, used)
