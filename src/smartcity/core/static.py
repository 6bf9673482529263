"""The platform's static files under ASGI, served from the event loop before any worker
thread is taken (servestatic, WhiteNoise's fork with ASGI support).

WhiteNoise (6.12) is WSGI only: as Django middleware under ASGI it hands Django a
synchronous file iterator, which Django collects whole in a worker thread before it sends
the first byte (``StreamingHttpResponse.__aiter__``), and the request keeps its pooled
worker thread (:mod:`core.threads`) until the client has taken the last byte: eight slow
downloads of MapLibre held every thread. Here a request for a file under ``STATIC_URL``
is answered by servestatic's ASGI file server: the file is read a block at a time (each
read in a thread for that read only) and each block sent as the client takes it, or
handed to the server whole where it can send a file itself (``http.response.pathsend``).
The caching headers are servestatic's: ``Cache-Control: max-age`` (60 s; no file name
carries a hash here), ``ETag`` and ``Last-Modified``, answered 304 when unchanged, and
``Range`` requests. The security headers are the ones the platform's middleware gives
every other answer (``settings.HEADER_MIDDLEWARE``), built once. Other paths, and names
under ``STATIC_URL`` that are no file, go on to the application.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.module_loading import import_string
from servestatic.asgi import FileServerASGI
from servestatic.middleware import ServeStaticMiddleware

Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _nothing(request: HttpRequest) -> None:
    return None


class StaticFiles:
    """Wraps the platform's ASGI application: files under ``STATIC_URL`` on the event loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.files: ServeStaticMiddleware | None = None  # built on the first request
        self.headers: dict[bool, list[tuple[bytes, bytes]]] = {}  # by https or not

    async def __call__(self, scope: Scope, receive: Any, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(settings.STATIC_URL):
            await self.app(scope, receive, send)
            return
        files = self._files()
        if files.autorefresh:  # development: files may come and go
            found = await sync_to_async(files.find_file, thread_sensitive=False)(scope["path"])
        else:
            found = files.files.get(scope["path"])
        if found is None:
            await self.app(scope, receive, send)
            return
        extra = self._headers(scope.get("scheme") == "https")

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await FileServerASGI(found)(scope, receive, with_headers)  # type: ignore[arg-type]

    def _files(self) -> ServeStaticMiddleware:
        if self.files is None:
            with warnings.catch_warnings():  # in development it asks to be an app, for
                # its checks of SERVESTATIC_* settings (and its own runserver): not needed
                warnings.filterwarnings("ignore", "Django checks for ServeStatic")
                self.files = ServeStaticMiddleware(_nothing)  # reads the files' list once
        return self.files

    def _headers(self, secure: bool) -> list[tuple[bytes, bytes]]:
        if secure not in self.headers:
            self.headers[secure] = security_headers(secure)
        return self.headers[secure]


def security_headers(secure: bool) -> list[tuple[bytes, bytes]]:
    """The headers ``settings.HEADER_MIDDLEWARE`` put on an answer (Content-Security-
    Policy, Permissions-Policy, Referrer-Policy, nosniff, HSTS over https, ...), found by
    passing one through them."""
    chain = settings.HEADER_MIDDLEWARE
    handler: Callable[[HttpRequest], HttpResponse] = lambda request: HttpResponse()  # noqa: E731
    for path in reversed(chain):
        handler = import_string(path)(handler)
    request = RequestFactory().get(settings.STATIC_URL, secure=secure)
    plain = HttpResponse()
    answered = handler(request)
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in answered.items()
        if plain.get(name) != value
    ]
