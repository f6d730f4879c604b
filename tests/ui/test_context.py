"""The window's services: HTTP that a cancel aborts, and profile lookups that say what to do."""

from __future__ import annotations

import threading

import httpx
import pytest

from inspector.core.errors import KeySourceError, ProfileNotFoundError
from inspector.core.flows.cancel import CancelToken
from tests.support.hanging_transport import HangingTransport


def test_a_cancel_aborts_the_request_in_flight(context):
    transport = HangingTransport()
    context.transport = transport
    cancel = CancelToken()
    failures: list[BaseException] = []

    def request() -> None:
        with context.cancellable_client(cancel) as client:
            try:
                client.get("https://idp.example/slow")
            except httpx.HTTPError as exc:
                failures.append(exc)

    thread = threading.Thread(target=request)
    thread.start()
    assert transport.entered.wait(10)
    cancel.cancel()
    thread.join(10)
    assert not thread.is_alive() and isinstance(failures[0], httpx.ReadError)


def test_a_cancel_after_the_request_touches_nothing(context):
    closed: list[bool] = []

    class Recording(httpx.MockTransport):
        def close(self) -> None:
            closed.append(True)

    context.transport = Recording(lambda request: httpx.Response(200, json={}))
    cancel = CancelToken()
    with context.cancellable_client(cancel) as client:
        assert client.get("https://idp.example/ok").status_code == 200
    closed.clear()
    cancel.cancel()  # e.g. the window closes later: the finished client is not closed again
    assert closed == []


def test_an_endless_jwks_fetched_by_a_gui_worker_is_refused_as_too_large(context):
    """The Decoder's JWKS URL goes through the core's send(): an endless body is cut at the cap."""
    context.transport = httpx.MockTransport(lambda request: httpx.Response(
        200, headers={"content-type": "application/json"}, content=iter(lambda: b" " * 65536, None)))
    with pytest.raises(KeySourceError, match="larger than 4 MiB"):
        context.fetch_jwks("https://idp.example/jwks", CancelToken())


@pytest.mark.parametrize("name", [None, ""])
def test_no_chosen_profile_says_where_to_pick_one(context, name):
    with pytest.raises(ProfileNotFoundError, match="Pick one in the Profile box at the top"):
        context.load_profile(name)
