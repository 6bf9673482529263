"""The access log: one line per HTTP request on the logger ``smartcity.access``, written when
the response has ended (for a live stream, when the client leaves), e.g.::

    203.0.113.5 "GET /umwelt/live?after" 200 18342 3600512.4ms

client address, method, path with the names of the query's parameters but never their
values (a token may travel as ``?token=...``), status, body bytes sent, duration. No
header (Authorization, Cookie) is read. The same fields are on the record as ``extra``
attributes (``http_client``, ``http_method``, ``http_path``, ``http_status``,
``http_bytes``, ``http_ms``) for a structured handler.

It wraps the whole ASGI application (``asgi.py``), outside the thread pool, so it sees
every answer, the intake's 413/414/408 and static files too, and passes each message on as
it comes: a stream is never held back. ``SMARTCITY_ACCESS_LOG=0`` leaves it out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from smartcity.core import config

log = logging.getLogger("smartcity.access")

Scope = dict[str, Any]
Message = dict[str, Any]
App = Callable[[Scope, Any, Any], Awaitable[None]]

_PATH_SAFE = "/:@!$&'()*+,;=-._~%"  # what stays as it is; the rest is percent-encoded
_MAX_NAME = 40  # longer "names" are more likely values without a name; left out


def with_access_log(app: App) -> App:
    """``app`` wrapped in the access log, or ``app`` itself when SMARTCITY_ACCESS_LOG=0."""
    return AccessLogApp(app) if config.get("ACCESS_LOG") else app


class AccessLogApp:
    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answer = {"status": 0, "bytes": 0}

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body":
                answer["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counted)
        except BaseException:
            answer["status"] = answer["status"] or 500  # the server answers 500 for us
            raise
        finally:
            _write(scope, answer["status"], answer["bytes"], time.perf_counter() - started)


def _write(scope: Scope, status: int, sent: int, seconds: float) -> None:
    client = scope.get("client")
    fields = {
        "http_client": client[0] if client else "-",
        "http_method": scope.get("method", "-"),
        "http_path": shown_path(scope),
        "http_status": status,
        "http_bytes": sent,
        "http_ms": round(seconds * 1000, 1),
    }
    log.info(
        '%s "%s %s" %s %d %.1fms',
        fields["http_client"],
        fields["http_method"],
        fields["http_path"],
        status or "-",  # 0: the client left before an answer began
        sent,
        fields["http_ms"],
        extra=fields,
    )


def shown_path(scope: Scope) -> str:
    """The path as the client sent it (percent-encoded, so no space or line break gets
    into the line), with ``?`` and the names of the query's parameters that have a value."""
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    path = quote(raw.split(b"?", 1)[0], safe=_PATH_SAFE)
    names = query_names(scope.get("query_string", b""))
    return f"{path}?{'&'.join(names)}" if names else path


def query_names(query: bytes) -> list[str]:
    """The names of ``name=value`` parameters, each once, in order; a part without ``=``
    could be a bare secret and is left out, as is every value."""
    found: list[str] = []
    for part in query.split(b"&"):
        name, equals, _ = part.partition(b"=")
        if not equals or not name or len(name) > _MAX_NAME:
            continue
        shown = quote(name, safe="$-._~%")
        if shown not in found:
            found.append(shown)
    return found
