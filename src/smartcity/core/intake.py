"""What a request must bring before it may take a worker thread (core.threads): a URL of
at most ``SMARTCITY_MAX_URL_BYTES`` (else 414), and its whole body, at most
``SMARTCITY_MAX_REQUEST_BYTES`` (else 413, also when it comes chunked, without a
Content-Length), within ``SMARTCITY_REQUEST_BODY_TIMEOUT`` seconds (else 408). The body is
read on the event loop, where a slow or silent client costs a coroutine, not one of the
few threads that run Django; the application then receives it in one message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from smartcity.core import config

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class _Gone(Exception):
    """The client left before its body was complete."""


async def take(scope: dict[str, Any], receive: Receive) -> Receive | None:
    """A receive that hands over the whole body at once, or None if the client has gone.
    Refused says why the request cannot be taken."""
    url_bytes = len(scope.get("raw_path") or scope.get("path", "").encode()) + len(
        scope.get("query_string", b"")
    )
    if url_bytes > config.get("MAX_URL_BYTES"):
        raise Refused(
            414,
            f"the URL is longer than {config.get('MAX_URL_BYTES')} bytes (SMARTCITY_MAX_URL_BYTES)",
        )
    limit = config.get("MAX_REQUEST_BYTES")
    declared = _content_length(scope)
    if declared is not None and declared > limit:
        raise Refused(413, _too_large(limit))
    if not declared and not _chunked(scope):  # no body: the server hands over b"" at once
        return receive
    try:
        body = await asyncio.wait_for(_body(receive, limit), config.get("REQUEST_BODY_TIMEOUT"))
    except TimeoutError:
        raise Refused(
            408,
            "the request body did not arrive in "
            f"{config.get('REQUEST_BODY_TIMEOUT'):g} s "
            "(SMARTCITY_REQUEST_BODY_TIMEOUT)",
        ) from None
    except _Gone:
        return None
    return _replay(body, receive)


async def refuse(send: Send, refused: Refused) -> None:
    """Answer a refused request with the platform's JSON error body."""
    body = orjson.dumps({"code": refused.status, "type": "error", "message": refused.message})
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"connection", b"close"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes (SMARTCITY_MAX_REQUEST_BYTES)"


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            if not text.isdigit():
                raise Refused(400, "malformed Content-Length")
            return int(text)
    return None


def _chunked(scope: dict[str, Any]) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers", []))


async def _body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Gone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refused(413, _too_large(limit))
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The whole body as the first message; then what the client sends (its disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> dict[str, Any]:
        if pending:
            return pending.pop()
        return await receive()

    return replayed
