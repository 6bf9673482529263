"""The access log (core.access_log) around the platform's real ASGI application: one line
per request with method, path, status, bytes, duration and client address; no query
value, no Authorization or Cookie header; the intake's refusals too; a live stream is
passed on while it runs and logged once when the client leaves."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.asgi import get_asgi_application

from smartcity.core import access_log
from smartcity.core.threads import ThreadPoolApp

SECRET_TOKEN = "sc_tokenvalue0123456789"
SECRET_COOKIE = "sessionvalue9876543210"


def _app() -> Any:
    return access_log.AccessLogApp(ThreadPoolApp(get_asgi_application(), threads=2))


def _scope(path: str, query: bytes = b"", headers: list | None = None) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *(headers or [])],
        "client": ("203.0.113.5", 50123),
        "server": ("127.0.0.1", 8000),
    }


def _in_thread(scenario: Callable[[], Any]) -> Any:
    """asyncio.run in a thread of its own (the browser tests' Playwright may run a loop in
    this one)."""
    found: list[Any] = []
    runner = threading.Thread(target=lambda: found.append(asyncio.run(scenario())))
    runner.start()
    runner.join(60)
    assert found, "the request did not finish"
    return found[0]


def _get(scope: dict) -> list[dict]:
    """The messages the application sends for a GET without a body."""

    async def scenario() -> list[dict]:
        sent: list[dict] = []
        left = asyncio.Event()
        first = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict:
            if first:
                return first.pop()
            await left.wait()  # the client stays until the answer is complete
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        await _app()(scope, receive, send)
        left.set()
        return sent

    return _in_thread(scenario)


def _lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "smartcity.access"]


@pytest.fixture
def access(caplog):
    caplog.set_level(logging.INFO, logger="smartcity.access")
    return caplog


@pytest.mark.django_db(transaction=True)
def test_one_line_per_request_with_what_an_operator_needs(access):
    sent = _get(_scope("/barrierefreiheit/"))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    (record,) = _lines(access)
    assert record.levelno == logging.INFO
    line = record.getMessage()
    assert line.startswith('203.0.113.5 "GET /barrierefreiheit/" 200 ')
    assert record.http_status == 200 and record.http_bytes == len(body) > 1000
    assert record.http_ms > 0 and line.endswith("ms")


@pytest.mark.django_db(transaction=True)
def test_no_query_value_no_credential_no_cookie(access):
    headers = [
        (b"authorization", f"Bearer {SECRET_TOKEN}".encode()),
        (b"cookie", f"sessionid={SECRET_COOKIE}".encode()),
    ]
    query = f"token={SECRET_TOKEN}&after=12345&{SECRET_TOKEN}&after=7".encode()
    _get(_scope("/gibt-es-nicht/", query, headers))
    (record,) = _lines(access)
    assert record.getMessage().startswith('203.0.113.5 "GET /gibt-es-nicht/?token&after" 404 ')
    everything = record.getMessage() + repr(vars(record))
    for secret in (SECRET_TOKEN, SECRET_COOKIE, "12345"):
        assert secret not in everything


def test_a_path_cannot_break_the_line():
    scope = _scope("/a b")
    scope["raw_path"] = b'/a\r\nb "c"%0A'
    assert access_log.shown_path(scope) == "/a%0D%0Ab%20%22c%22%0A"


def test_the_intakes_refusals_are_logged_too(access, monkeypatch):
    monkeypatch.setenv("SMARTCITY_MAX_URL_BYTES", "256")
    _get(_scope("/" + "x" * 300))
    (record,) = _lines(access)
    assert record.http_status == 414


@pytest.mark.django_db(transaction=True)
def test_a_live_stream_is_passed_on_and_logged_when_the_client_leaves(access):
    """The first event reaches the client while the stream runs, before any line is
    written; the line comes when the client has gone, with all the bytes it got."""
    from smartcity.environment import live

    async def scenario() -> tuple[int, int, list[logging.LogRecord]]:
        body = asyncio.Queue()
        left = asyncio.Event()
        first = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict:
            if first:
                return first.pop()
            await left.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            await body.put(message)

        running = asyncio.create_task(_app()(_scope(live.PATH), receive, send))
        start = await asyncio.wait_for(body.get(), 30)
        chunk = await asyncio.wait_for(body.get(), 30)
        during = list(_lines(access))  # nothing yet: the stream is still open
        left.set()
        await asyncio.wait_for(running, 30)
        got = len(chunk["body"])
        while not body.empty():
            got += len((await body.get()).get("body", b""))
        assert start["status"] == 200 and chunk["body"].startswith(b"retry:")
        assert during == []
        return start["status"], got, _lines(access)

    try:
        status, got, records = _in_thread(scenario)
    finally:
        live.hub.close()
    (record,) = records
    assert record.http_status == status == 200
    assert record.http_bytes == got > 0
    assert record.http_path == "/umwelt/live"


def test_the_setting_turns_it_off(monkeypatch):
    app = ThreadPoolApp(get_asgi_application(), threads=1)
    monkeypatch.setenv("SMARTCITY_ACCESS_LOG", "0")
    assert access_log.with_access_log(app) is app
    monkeypatch.setenv("SMARTCITY_ACCESS_LOG", "1")
    assert isinstance(access_log.with_access_log(app), access_log.AccessLogApp)
