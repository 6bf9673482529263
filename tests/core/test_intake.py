"""A request brings its whole body before it takes a worker thread (core.intake), tested on
a real uvicorn server with raw sockets: slow clients hold no thread, a body over the limit
is a 413 also when chunked, a URL over the limit a 414, a client too slow a 408."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from asgiref.sync import sync_to_async

from smartcity.core.threads import ThreadPoolApp
from tests.servers import serving


async def _echo(scope, receive, send):
    """The body's length, from a pooled thread (as Django's views run)."""
    message = await receive()
    length = await sync_to_async(lambda: len(message["body"]), thread_sensitive=True)()
    body = str(length).encode()
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def server(monkeypatch) -> Iterator[int]:
    monkeypatch.setenv("SMARTCITY_MAX_REQUEST_BYTES", "4096")
    monkeypatch.setenv("SMARTCITY_MAX_URL_BYTES", "2048")
    monkeypatch.setenv("SMARTCITY_REQUEST_BODY_TIMEOUT", "3")
    with serving(ThreadPoolApp(_echo, threads=2)) as port:
        yield port


def _ask(port: int, head: bytes, body: bytes = b"", timeout: float = 10) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer or not _complete(answer):
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def _post(length: int) -> bytes:
    return (f"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: {length}\r\n\r\n").encode()


def test_slow_clients_hold_no_worker_thread(server):
    """Four clients trickle their bodies (two threads serve); a normal request is answered
    at once, and each slow one when its body is complete."""
    slow = []
    for _ in range(4):
        conn = socket.create_connection(("127.0.0.1", server), timeout=10)
        conn.sendall(_post(3) + b"a")
        slow.append(conn)
    started = time.monotonic()
    status, body = _ask(server, _post(5), b"hallo")
    assert (status, body) == (200, b"5")
    assert time.monotonic() - started < 1.0
    for conn in slow:
        with conn:
            conn.sendall(b"bc")
            answer = b""
            while not _complete(answer):
                chunk = conn.recv(65536)
                assert chunk, answer
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"\r\n\r\n3")


def test_a_client_too_slow_gets_408(server):
    started = time.monotonic()
    status, body = _ask(server, _post(10), b"a")
    assert status == 408
    assert b"SMARTCITY_REQUEST_BODY_TIMEOUT" in body
    assert time.monotonic() - started < 6


def test_a_body_over_the_limit_is_413_with_or_without_content_length(server):
    status, body = _ask(server, _post(5000))
    assert status == 413 and b"SMARTCITY_MAX_REQUEST_BYTES" in body
    chunked = b"POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
    piece = b"1000\r\n" + b"x" * 4096 + b"\r\n"
    status, body = _ask(server, chunked, piece * 2 + b"0\r\n\r\n")
    assert status == 413
    status, body = _ask(server, chunked, piece + b"0\r\n\r\n")  # exactly the limit
    assert (status, body) == (200, b"4096")


def test_a_url_over_the_limit_is_414(server):
    status, body = _ask(server, b"GET /x?q=" + b"a" * 3000 + b" HTTP/1.1\r\nHost: t\r\n\r\n")
    assert status == 414 and b"SMARTCITY_MAX_URL_BYTES" in body
    assert _ask(server, b"GET /x?q=" + b"a" * 1000 + b" HTTP/1.1\r\nHost: t\r\n\r\n")[0] == 200


def test_a_malformed_content_length_is_400(server):
    status, _ = _ask(server, b"POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: zwei\r\n\r\n")
    assert status == 400
