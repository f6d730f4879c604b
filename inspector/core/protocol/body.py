"""Reading a response body within bounds: an overall deadline, and a size cap counted after
decompression, so a body trickled a byte at a time, an endless body or a compression bomb ends
as a finding instead of a request that never ends or a process that runs out of memory.

Content codings (RFC 9110 §8.4) are decoded here, not by httpx, because httpx inflates each
network chunk in one go: 64 KiB of a gzip bomb become 64 MiB at once, and codings stacked on
one another (``gzip, gzip``) multiply that. Here zlib hands out at most :data:`PIECE` bytes per
call, so no more than the cap plus one piece is ever held.
"""

from __future__ import annotations

import zlib
from typing import Callable, Iterator

import httpx

__all__ = ["ACCEPT_ENCODING", "BodyTimeout", "BodyTooLarge", "MAX_RESPONSE_BYTES", "PIECE", "UndecodableBody",
           "read_body"]

#: Far above any discovery document, JWKS, token or userinfo answer (a few KiB each).
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
#: The most zlib may produce per call (and so the most held beyond the cap).
PIECE = 64 * 1024
#: The codings :func:`read_body` decodes, and so the only ones a request may ask for.
ACCEPT_ENCODING = "gzip, deflate"

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):
    """The body (as received, or once decoded) passed the cap."""


class BodyTimeout(Exception):
    """The deadline passed while the body was still arriving."""


class UndecodableBody(Exception):
    """A content coding that was not asked for, or data that does not decode."""


def read_body(response: httpx.Response, *, limit: int, deadline: float, clock: Callable[[], float]) -> bytes:
    """The decoded body of a streamed ``response``; raises BodyTooLarge past ``limit`` bytes
    (received or decoded), BodyTimeout once ``clock()`` passes ``deadline``, UndecodableBody."""
    if response.is_stream_consumed:  # a transport that built the answer in memory (httpx.MockTransport)
        if len(response.content) > limit:
            raise BodyTooLarge
        return response.content
    codings = [c.strip().lower() for c in response.headers.get("content-encoding", "").split(",")]
    pieces: Iterator[bytes] = _received(response, limit, deadline, clock)
    for coding in reversed([c for c in codings if c and c != "identity"]):  # the last applied comes off first
        if coding not in _WBITS:
            raise UndecodableBody(f"it is encoded as {coding!r}, which was not asked for")
        pieces = _inflated(pieces, coding)
    body = bytearray()
    for piece in pieces:
        body += piece
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def _received(response: httpx.Response, limit: int, deadline: float, clock: Callable[[], float]) -> Iterator[bytes]:
    received = 0
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge
        if clock() > deadline:
            raise BodyTimeout
        yield chunk


def _inflated(chunks: Iterator[bytes], coding: str) -> Iterator[bytes]:
    """``chunks`` decompressed at most :data:`PIECE` bytes at a time. Data after the end of the
    compressed stream is ignored, as httpx does; it still counts against the cap as received."""
    decoder = zlib.decompressobj(_WBITS[coding])
    started = False
    for data in chunks:
        more = bool(data)
        while more and not decoder.eof:
            try:
                out = decoder.decompress(data, PIECE)
            except zlib.error as exc:
                if coding == "deflate" and not started:  # raw deflate, without the zlib wrapper: common
                    decoder, started = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                raise UndecodableBody(f"its {coding} data is damaged ({exc})") from exc
            started = True
            if out:
                yield out
            data = decoder.unconsumed_tail
            more = bool(data) or len(out) == PIECE  # a full piece may leave output pending: ask again
