"""The clock monitor: readings noted by workers reach the GUI thread as ``changed``."""

from __future__ import annotations

from inspector.core.protocol.http import Exchange
from inspector.ui.clock_monitor import ClockMonitor

NOW = 1_800_000_000.0


def exchange(url: str, date: str | None) -> Exchange:
    headers = {"date": date} if date is not None else {}
    return Exchange("GET", url, {}, {}, status=200, response_headers=headers, elapsed=0.2)


def test_a_reading_noted_in_a_worker_arrives_in_the_gui_thread(qtbot, context):
    monitor = context.clocks
    with qtbot.waitSignal(monitor.changed, timeout=5000):
        context.pool.start(lambda _job: monitor.note([exchange("https://keys.acme.dev/jwks",
                                                               "Fri, 15 Jan 2027 08:00:05 GMT")],
                                                     received_at=1_800_000_000.0, issuer="https://login.acme.dev"))
    assert monitor.latest("https://login.acme.dev") is monitor.latest("keys.acme.dev") is monitor.newest()
    assert monitor.newest().source == "GET https://keys.acme.dev/jwks"


def test_responses_without_a_date_change_nothing(qtbot):
    monitor = ClockMonitor()
    with qtbot.assertNotEmitted(monitor.changed):
        assert monitor.note([exchange("https://op.example/x", None)], NOW) is None
    assert monitor.newest() is None
