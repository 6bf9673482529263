"""Static files under ASGI (core.static): served from the event loop before any worker
thread is taken, in blocks as the client takes them, with caching headers and the
security headers every other answer carries."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from smartcity.core import config
from smartcity.core.static import StaticFiles

STATIC = Path(settings.STATICFILES_DIRS[0])
MAP_JS = "/static/js/map.js"  # 8.3 kB: more than one of servestatic's 8 kB blocks


def _scope(path: str, headers: list[tuple[bytes, bytes]] | None = None, scheme: str = "http"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


class Sent:
    """What an application sent: the start message and the body messages."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.messages[0]["headers"]}

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])


class Application:
    """The application behind the files: counts what reaches it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"not here"})


def _drive(main: Coroutine[Any, Any, Any]) -> Any:
    """asyncio.run in a thread of its own: the browser tests leave a loop in this one."""
    done: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            done.append(asyncio.run(main))
        except BaseException as error:  # reported to the test below
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    assert not errors, errors
    return done[0]


def _get(app: Any, path: str, **options: Any) -> Sent:
    sent = Sent()
    _drive(app(_scope(path, **options), _receive, sent))
    return sent


def test_a_file_is_served_in_blocks_without_the_application_with_every_header():
    behind = Application()
    sent = _get(StaticFiles(behind), MAP_JS)
    assert behind.paths == []  # no worker thread, no Django
    assert sent.status == 200
    assert sent.body == (STATIC / "js/map.js").read_bytes()
    assert len([m for m in sent.messages[1:] if m.get("body")]) >= 2  # streamed, not whole
    headers = sent.headers
    assert headers["content-type"].startswith("text/javascript")
    assert headers["cache-control"] == "max-age=60, public"
    assert "etag" in headers and "last-modified" in headers
    csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "geolocation=(self)" in headers["permissions-policy"]
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers  # not over plain http


def test_hsts_over_https_and_an_unchanged_file_is_a_304():
    files = StaticFiles(Application())
    first = _get(files, MAP_JS, scheme="https")
    seconds = config.get("HSTS_SECONDS")
    assert first.headers["strict-transport-security"] == f"max-age={seconds}"
    again = _get(files, MAP_JS, headers=[(b"if-none-match", first.headers["etag"].encode())])
    assert again.status == 304 and again.body == b""


def test_a_name_that_is_no_file_and_other_paths_go_to_the_application():
    behind = Application()
    files = StaticFiles(behind)
    assert _get(files, "/static/js/none-such.js").status == 404
    assert _get(files, "/sta/v1.1/").status == 404
    assert behind.paths == ["/static/js/none-such.js", "/sta/v1.1/"]


def test_a_client_that_does_not_read_holds_up_no_other():
    files = StaticFiles(Application())

    async def both() -> tuple[Sent, bool]:
        taken = asyncio.Event()
        never = asyncio.Event()

        async def stalled(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                taken.set()
                await never.wait()  # the client never reads on

        slow = asyncio.create_task(files(_scope(MAP_JS), _receive, stalled))
        await taken.wait()
        others = [Sent() for _ in range(10)]
        await asyncio.wait_for(
            asyncio.gather(*(files(_scope(MAP_JS), _receive, s) for s in others)), 5
        )
        held = not slow.done()
        slow.cancel()
        return others[-1], held

    last, held = _drive(both())
    assert held and last.status == 200
    assert last.body == (STATIC / "js/map.js").read_bytes()


@pytest.mark.django_db
def test_the_platforms_application_serves_its_files_this_way():
    from smartcity.asgi import application

    sent = _get(application, "/static/css/smartcity.css")
    assert sent.status == 200
    assert sent.body == (STATIC / "css/smartcity.css").read_bytes()
    assert "content-security-policy" in sent.headers
