import threading

from inspector.core.flows.cancel import CancelToken


def test_wait_returns_at_once_when_cancelled_from_another_thread():
    token = CancelToken()
    result = []
    thread = threading.Thread(target=lambda: result.append(token.wait(60)))
    thread.start()
    token.cancel()
    thread.join(10)
    assert result == [True] and token.cancelled


def test_wait_times_out_false_when_not_cancelled():
    assert CancelToken().wait(0.01) is False


def test_callbacks_run_once_and_unsubscribe_works():
    token = CancelToken()
    calls = []
    token.on_cancel(lambda: calls.append("a"))
    unsubscribe = token.on_cancel(lambda: calls.append("b"))
    unsubscribe()
    token.cancel()
    token.cancel()
    assert calls == ["a"]
    token.on_cancel(lambda: calls.append("late"))
    assert calls == ["a", "late"]
