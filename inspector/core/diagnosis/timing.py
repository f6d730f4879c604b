"""Time verdicts and the clocks behind them: a time failure that disappears on the issuer's clock
is ``clock_skew``, not ``token_expired`` (RFC 7519 §4.1.4-4.1.6 judge against "the current date/
time", which is only as right as the clock that reads it).

The issuer's clock is known from a ``Date`` header of its own answer (RFC 9110 §6.6.1; see
:mod:`inspector.core.protocol.clock`), or bounded from below by an ``iat`` that has not yet come on
the judging clock: the issuer stamped a moment this clock has not reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from inspector.core.diagnosis.causes import make
from inspector.core.diagnosis.model import Confidence, Diagnosis, Evidence, EvidenceKind
from inspector.core.jose.claims import humanize_duration, is_numeric_date
from inspector.core.protocol.clock import SIGNIFICANT_SKEW, ClockReading, format_offset

__all__ = ["Skew", "skew_from_reading", "time_diagnoses", "utc"]

#: A token this close to a time limit is judged "likely", not "certain": clocks drift by seconds.
_EDGE = SIGNIFICANT_SKEW


@dataclass(frozen=True)
class Skew:
    """``seconds`` = issuer's clock − judging clock (positive: the judging clock is behind).

    ``bound`` means only "at least ``seconds``" is known; ``whose`` names the judging clock in
    sentences ("This computer's clock", "The browser's clock").
    """

    seconds: float
    uncertainty: float
    source: str
    host: str
    bound: bool = False
    whose: str = "This computer's clock"

    def amount(self) -> str:
        span = format_offset(abs(self.seconds)).lstrip("+")
        return f"at least {span}" if self.bound else span

    def direction(self) -> str:
        return "behind" if self.seconds > 0 else "ahead of"

    def evidence(self) -> Evidence:
        sign = "+" if self.seconds > 0 else "-"
        return Evidence.of(EvidenceKind.CLOCK, "skew", f"{sign}{abs(round(self.seconds))} s "
                           f"(± {self.uncertainty:.0f} s){' or more' if self.bound else ''}", self.source)


def skew_from_reading(reading: ClockReading, whose: str = "This computer's clock") -> Skew:
    return Skew(reading.skew, reading.uncertainty, f"Date header of {reading.source}", reading.host, whose=whose)


def utc(epoch: float) -> str:
    try:
        return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return f"{epoch} (out of range)"


def _failures(claims: Mapping[str, Any], moment: float, margin: float = 0.0) -> set[str]:
    """The time checks that fail at ``moment``, each given ``margin`` seconds of benefit of doubt."""
    found = set()
    exp, nbf, iat = (claims.get(name) for name in ("exp", "nbf", "iat"))
    if is_numeric_date(exp) and moment >= exp + margin:
        found.add("expired")
    if is_numeric_date(nbf) and moment < nbf - margin:
        found.add("not_yet_valid")
    if is_numeric_date(iat) and iat > moment + margin:
        found.add("issued_in_future")
    return found


def time_diagnoses(claims: Mapping[str, Any], moment: float, skew: Skew | None, *, token: str, where: str,
                   issuer_host: str) -> list[Diagnosis]:
    """Diagnoses for the time claims of ``claims`` judged at ``moment`` on a clock ``skew`` away
    from the issuer's (None: unknown). Empty when no time check fails."""
    local = _failures(claims, moment)
    if not local:
        return []
    if skew is None and "issued_in_future" in local:
        skew = Skew(claims["iat"] - moment, 1.0, f"{where}: iat is later than the moment it was checked",
                    issuer_host, bound=True)
    if skew is not None and abs(skew.seconds) > skew.uncertainty:
        margin = 0.0 if skew.bound else -skew.uncertainty  # a measured skew must clear its own uncertainty
        on_issuer_clock = _failures(claims, moment + skew.seconds, margin=margin)
        if not on_issuer_clock:
            return [_clock_skew(claims, moment, skew, local, where)]
    found: list[Diagnosis] = []
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if "expired" in local:
        late = moment - exp
        sure = Confidence.CERTAIN if late > max(_EDGE, abs(skew.seconds) if skew else 0) else Confidence.LIKELY
        found.append(make("token_expired", sure, [
            Evidence.of(EvidenceKind.CLAIM, "exp", exp, f"{where} payload"),
            Evidence.of(EvidenceKind.CLOCK, "checked at", utc(moment), where), *_skew_note(skew)],
            token=token, span=humanize_duration(late), exp=utc(exp), checked=utc(moment)))
    if "not_yet_valid" in local:
        iat = claims.get("iat")
        deliberate = is_numeric_date(iat) and iat <= moment
        found.append(make("token_not_yet_valid", Confidence.CERTAIN if deliberate else Confidence.LIKELY, [
            Evidence.of(EvidenceKind.CLAIM, "nbf", nbf, f"{where} payload"),
            Evidence.of(EvidenceKind.CLOCK, "checked at", utc(moment), where), *_skew_note(skew)],
            token=token, when=utc(nbf), span=humanize_duration(nbf - moment)))
    return found


def _skew_note(skew: Skew | None) -> list[Evidence]:
    return [skew.evidence()] if skew is not None else []


def _clock_skew(claims: Mapping[str, Any], moment: float, skew: Skew, local: set[str], where: str) -> Diagnosis:
    if "expired" in local:
        consequence = "a token still valid on the issuer's clock looked expired"
    elif "not_yet_valid" in local:
        consequence = "a token already valid on the issuer's clock looked not yet valid"
    else:
        consequence = "the token looked issued in the future"
    evidence = [Evidence.of(EvidenceKind.CLAIM, name, claims[name], f"{where} payload")
                for name in ("iat", "nbf", "exp") if is_numeric_date(claims.get(name))]
    evidence += [Evidence.of(EvidenceKind.CLOCK, "checked at", utc(moment), where), skew.evidence()]
    sure = Confidence.CERTAIN if skew.bound or abs(skew.seconds) > 3 * skew.uncertainty else Confidence.LIKELY
    return make("clock_skew", sure, evidence, whose=skew.whose, amount=skew.amount(), direction=skew.direction(),
                host=skew.host or "the issuer", consequence=consequence)
