import select
import socket
import threading
import time

import httpx
import pytest

from inspector.core.flows.cancel import CancelToken
from inspector.core.flows.loopback import MAX_CONNECTIONS, MAX_HEAD, REQUEST_SECONDS, LoopbackListener
from tests.support.slow_client import SlowClient, idle_connection

STATE = "s" * 43
ISSUER = "https://op.example"


class Waiter:
    """Runs listener.wait in a thread; the test joins it with a timeout instead of sleeping."""

    def __init__(self, listener, timeout=10.0, cancel=None):
        self.listener = listener
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(timeout, cancel), daemon=True)
        self.thread.start()

    def _run(self, timeout, cancel):
        self.result = self.listener.wait(timeout, cancel)

    def join(self):
        self.thread.join(10)
        assert not self.thread.is_alive()
        return self.result


def _get(listener, query, path="/callback"):
    """A browser's request; 5 s is generous (it is answered at once) where the attacks below held
    the listener for 40 s."""
    return httpx.get(f"http://127.0.0.1:{listener.port}{path}", params=query, timeout=5)


def _closed_by_server(sock):
    """True when the listener closed ``sock`` (it reads end of file or a reset within 5 s)."""
    sock.settimeout(5)
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


class ShiftedClock:
    """The listener's monotonic clock, moved on by the test instead of waiting."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.monotonic() + self.offset


def test_binds_127_0_0_1_only_and_not_other_local_addresses():
    listener = LoopbackListener(expected_state=STATE)
    try:
        assert listener.address()[0] == "127.0.0.1"
        assert listener.redirect_uri == f"http://127.0.0.1:{listener.port}/callback"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", listener.port), timeout=2)
        own_address = "127.0.0.1"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:  # no packet is sent; asks the kernel which address this host would use
                probe.connect(("192.0.2.1", 9))
                own_address = probe.getsockname()[0]
            except OSError:  # no route at all (an offline container): 127.0.0.2 above must suffice
                pass
        if own_address != "127.0.0.1":
            with pytest.raises(OSError):
                socket.create_connection((own_address, listener.port), timeout=2)
    finally:
        listener.close()


def test_returns_the_code_and_then_refuses_connections():
    listener = LoopbackListener(expected_state=STATE, expected_issuer=ISSUER)
    waiter = Waiter(listener)
    response = _get(listener, {"code": "abc", "state": STATE, "iss": ISSUER})
    result = waiter.join()
    assert response.status_code == 200 and "close this tab" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["cache-control"] == "no-store"
    assert result.outcome == "ok" and result.code == "abc"
    assert listener.closed
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", listener.port), timeout=2)


def test_survives_100_junk_requests_before_the_real_callback():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    browser = httpx.Client(base_url=f"http://127.0.0.1:{listener.port}", timeout=5)
    for i in range(100):
        kind = i % 4
        if kind == 0:
            assert browser.get("/favicon.ico").status_code == 404
        elif kind == 1:
            assert browser.get("/callback", params={"q": "x"}).status_code == 404
        elif kind == 2:
            with socket.create_connection(("127.0.0.1", listener.port), timeout=2) as raw:
                raw.sendall(b"\x16\x03\x01 garbage that is not http\r\n\r\n")
                raw.recv(100)
        else:
            assert browser.post("/callback", data={"code": "x"}).status_code == 404
    browser.get("/callback", params={"code": "real", "state": STATE})
    browser.close()
    result = waiter.join()
    assert result.outcome == "ok" and result.code == "real"
    assert result.ignored_requests == 100


def test_times_out_cleanly_and_closes_the_socket():
    listener = LoopbackListener(expected_state=STATE)
    result = listener.wait(0.2)
    assert result.outcome == "timeout"
    assert listener.closed


def test_cancel_from_another_thread_ends_the_wait():
    cancel = CancelToken()
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener, timeout=60, cancel=cancel)
    cancel.cancel()
    assert waiter.join().outcome == "cancelled"
    assert listener.closed


def test_state_mismatch_is_reported_and_the_code_is_not_returned():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    response = _get(listener, {"code": "abc", "state": "other"})
    result = waiter.join()
    assert response.status_code == 400
    assert result.outcome == "error" and result.code is None
    assert [f.code for f in result.findings] == ["state_mismatch"]


def test_missing_state_is_a_mismatch():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    _get(listener, {"code": "abc"})
    assert [f.code for f in waiter.join().findings] == ["state_mismatch"]


def test_iss_parameter_mismatch_and_missing_when_required():
    listener = LoopbackListener(expected_state=STATE, expected_issuer=ISSUER)
    waiter = Waiter(listener)
    _get(listener, {"code": "abc", "state": STATE, "iss": "https://evil.example"})
    assert [f.code for f in waiter.join().findings] == ["iss_param_mismatch"]

    listener = LoopbackListener(expected_state=STATE, expected_issuer=ISSUER, require_iss=True)
    waiter = Waiter(listener)
    _get(listener, {"code": "abc", "state": STATE})
    assert [f.code for f in waiter.join().findings] == ["iss_param_mismatch"]


def test_error_response_is_a_callback_error_and_the_page_escapes_it():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    response = _get(listener, {"error": "access_denied", "error_description": "<script>alert(1)</script>",
                               "state": STATE})
    result = waiter.join()
    assert [f.code for f in result.findings] == ["callback_error"]
    assert "access_denied" in result.findings[0].message
    assert "<script>" not in response.text and "&lt;script&gt;" in response.text


def test_chosen_port_and_localhost_redirect_host(unused_tcp_port):
    listener = LoopbackListener(expected_state=STATE, port=unused_tcp_port, redirect_host="localhost", path="cb")
    try:
        assert listener.port == unused_tcp_port
        assert listener.redirect_uri == f"http://localhost:{unused_tcp_port}/cb"
        assert listener.address()[0] == "127.0.0.1"
    finally:
        listener.close()


def test_slowloris_connection_does_not_delay_the_redirect():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener, timeout=60)
    with SlowClient(listener.port) as slow:
        response = _get(listener, {"code": "real", "state": STATE})
        assert not slow.ran_out.is_set(), "the redirect was answered only after the slow client stopped"
    assert response.status_code == 200
    result = waiter.join()
    assert result.outcome == "ok" and result.code == "real"


def test_twenty_idle_connections_do_not_delay_the_redirect():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener, timeout=60)
    idle = [idle_connection(listener.port) for _ in range(20)]
    try:
        response = _get(listener, {"code": "real", "state": STATE})
        assert response.status_code == 200
        result = waiter.join()
        assert result.outcome == "ok" and result.code == "real"
    finally:
        for sock in idle:
            sock.close()


def test_cancel_ends_wait_at_once_with_a_slow_client():
    cancel = CancelToken()
    listener = LoopbackListener(expected_state=STATE)
    with SlowClient(listener.port) as slow:  # queued before the wait, so it is accepted first
        waiter = Waiter(listener, timeout=60, cancel=cancel)
        assert _get(listener, {}, path="/favicon.ico").status_code == 404  # served while the slow client is held
        cancel.cancel()
        assert waiter.join().outcome == "cancelled"
        assert not slow.ran_out.is_set(), "the wait ended only after the slow client stopped"
    assert listener.closed


def test_timeout_ends_wait_with_a_slow_client():
    listener = LoopbackListener(expected_state=STATE)
    with SlowClient(listener.port, interval=0.2) as slow:  # queued before the wait, so it is accepted first
        result = Waiter(listener, timeout=1.0).join()
        assert result.outcome == "timeout"
        assert not slow.ran_out.is_set(), "the wait ended only after the slow client stopped"
    assert listener.closed


def test_a_request_unfinished_at_its_deadline_is_dropped_and_the_wait_goes_on():
    clock = ShiftedClock()
    listener = LoopbackListener(expected_state=STATE, clock=clock)
    slow = idle_connection(listener.port)  # queued before the wait, so it is accepted first
    try:
        waiter = Waiter(listener, timeout=60)
        assert _get(listener, {}, path="/favicon.ico").status_code == 404
        clock.offset += REQUEST_SECONDS + 1
        slow.sendall(b"a")  # wakes the listener, which finds the request past its deadline
        assert _closed_by_server(slow)
        assert waiter.thread.is_alive()
        _get(listener, {"code": "real", "state": STATE})
        result = waiter.join()
    finally:
        slow.close()
    assert result.outcome == "ok" and result.ignored_requests == 2


def test_a_connection_made_after_a_long_quiet_wait_gets_its_whole_request_time():
    clock = ShiftedClock()
    listener = LoopbackListener(expected_state=STATE, clock=clock)
    waiter = Waiter(listener, timeout=60)
    assert _get(listener, {}, path="/favicon.ico").status_code == 404  # the listener now waits for the next
    clock.offset += REQUEST_SECONDS * 2  # ... for a long while
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as browser:
        browser.sendall(f"GET /callback?code=real&state={STATE}".encode())
        assert _get(listener, {}, path="/favicon.ico").status_code == 404  # the first part was read
        browser.sendall(b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert browser.recv(100).startswith(b"HTTP/1.1 200 OK")
    assert waiter.join().code == "real"


class QuietAfterReply:
    """A clock that moves on by two request times once the listener has answered ``sock``: the
    long quiet wait falls between answering one queued connection and accepting the next."""

    def __init__(self):
        self.sock = None
        self.offset = 0.0

    def __call__(self):
        if not self.offset and self.sock is not None and select.select([self.sock], [], [], 0)[0]:
            self.offset = REQUEST_SECONDS * 2
        return time.monotonic() + self.offset


def test_a_connection_queued_behind_one_answered_after_a_long_wait_gets_its_whole_request_time():
    clock = QuietAfterReply()
    listener = LoopbackListener(expected_state=STATE, clock=clock)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as favicon, \
            socket.create_connection(("127.0.0.1", listener.port), timeout=5) as browser:
        favicon.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        browser.sendall(f"GET /callback?code=real&state={STATE}".encode())
        clock.sock = favicon
        waiter = Waiter(listener, timeout=60)  # both are accepted in one batch, the favicon first
        assert _get(listener, {}, path="/favicon.ico").status_code == 404  # the batch is done
        assert favicon.recv(100).startswith(b"HTTP/1.1 404")
        browser.sendall(b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert browser.recv(100).startswith(b"HTTP/1.1 200 OK")
    assert waiter.join().code == "real"


def test_past_the_connection_cap_the_oldest_idle_connections_are_dropped():
    listener = LoopbackListener(expected_state=STATE)
    idle = [idle_connection(listener.port) for _ in range(MAX_CONNECTIONS + 8)]
    try:
        waiter = Waiter(listener, timeout=60)
        assert all(_closed_by_server(sock) for sock in idle[:8])
        assert _get(listener, {"code": "real", "state": STATE}).status_code == 200
        result = waiter.join()
    finally:
        for sock in idle:
            sock.close()
    assert result.outcome == "ok" and result.ignored_requests == 9  # the redirect's connection dropped one more


def test_a_request_head_past_the_size_cap_is_cut_off_and_the_wait_goes_on():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener, timeout=60)
    with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as big:
        big.sendall(b"GET /callback?" + b"a" * MAX_HEAD)
        assert _closed_by_server(big)
    _get(listener, {"code": "real", "state": STATE})
    result = waiter.join()
    assert result.outcome == "ok" and result.ignored_requests == 1


def _get_pairs(listener, pairs):
    return httpx.get(f"http://127.0.0.1:{listener.port}/callback", params=pairs, timeout=5)


def test_repeated_state_is_rejected():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    response = _get_pairs(listener, [("code", "abc"), ("state", "WRONG"), ("state", STATE)])
    result = waiter.join()
    assert response.status_code == 400
    assert result.outcome == "error" and result.code is None
    assert [f.code for f in result.findings] == ["invalid_callback"]
    assert "'state'" in result.findings[0].message and "repeats the parameter &#x27;state&#x27;" in response.text


def test_repeated_code_is_rejected_and_neither_code_is_returned():
    listener = LoopbackListener(expected_state=STATE)
    waiter = Waiter(listener)
    _get_pairs(listener, [("code", "REAL"), ("state", STATE), ("code", "ATTACKER")])
    result = waiter.join()
    assert result.outcome == "error" and result.code is None and "code" not in result.params
    assert [f.code for f in result.findings] == ["invalid_callback"]
    assert "'code'" in result.findings[0].message


def test_repeated_iss_is_rejected():
    listener = LoopbackListener(expected_state=STATE, expected_issuer=ISSUER)
    waiter = Waiter(listener)
    _get_pairs(listener, [("code", "abc"), ("state", STATE), ("iss", "https://evil.example"), ("iss", ISSUER)])
    result = waiter.join()
    assert result.outcome == "error" and result.code is None
    assert [f.code for f in result.findings] == ["invalid_callback"]
    assert "'iss'" in result.findings[0].message
