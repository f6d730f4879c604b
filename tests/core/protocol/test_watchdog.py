"""The one thread that fires request deadlines: in order, never a disarmed one, and a failing
action does not end the deadlines after it."""

import logging
import threading

from inspector.core.protocol import watchdog


def test_an_alarm_fires_its_action_once_its_time_has_passed():
    done = threading.Event()
    alarm = watchdog.arm(0.01, done.set)
    assert done.wait(10) and alarm.fired


def test_a_disarmed_alarm_never_fires():
    ran, later = [], threading.Event()
    early = watchdog.arm(0.01, lambda: ran.append("early"))
    early.disarm()
    watchdog.arm(0.02, later.set)  # fires after the early one's time: by then it was skipped
    assert later.wait(10)
    assert ran == [] and not early.fired


def test_a_failing_action_does_not_stop_the_deadlines_after_it(caplog):
    def broken():
        raise RuntimeError("boom")

    done = threading.Event()
    with caplog.at_level(logging.ERROR, logger="inspector.core.protocol.watchdog"):
        watchdog.arm(0.01, broken)
        watchdog.arm(0.02, done.set)
        assert done.wait(10)
    assert "a request deadline's action failed" in caplog.text
