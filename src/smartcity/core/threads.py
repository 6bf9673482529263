"""Long-lived worker threads for Django's synchronous code under ASGI.

Django runs each request's synchronous part (middleware, views, the ORM) in a thread made
for that request, so every request opened a new database connection: on SQLite the first
statement of a connection re-reads the schema (about half a millisecond), on PostgreSQL it
is a network handshake. Here a request borrows one of a fixed set of single-thread
executors (asgiref's ``ThreadSensitiveContext(executor=...)``), so a thread, and with it
its connection, serves one request after another. Async code is not affected.
"""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext

from smartcity.core import intake

Scope = dict[str, Any]


# Paths of long-lived responses (Server-Sent Events): they stream from the event loop and
# must not hold one of the pooled threads for their whole life. Domains add theirs.
STREAMING_PATHS: set[str] = set()


class ThreadPoolApp:
    """Wraps an ASGI application; HTTP requests run their sync parts on pooled threads."""

    def __init__(self, app: Any, threads: int) -> None:
        self.app = app
        self.size = max(1, threads)
        self._idle: asyncio.Queue[ThreadPoolExecutor] | None = None

    def _pool(self) -> asyncio.Queue[ThreadPoolExecutor]:
        if self._idle is None:  # created lazily: it belongs to the server's event loop
            self._idle = asyncio.Queue()
            for index in range(self.size):
                self._idle.put_nowait(
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"smartcity-{index}")
                )
        return self._idle

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        # Each request in a context of its own. The server may start the next request of a
        # keep-alive connection from inside the previous one's task, whose context still
        # names that request's (by then exited) ThreadSensitiveContext; asgiref refuses
        # that with "ThreadSensitiveContext has exited", a 500 to the browser.
        await asyncio.create_task(self._serve(scope, receive, send), context=contextvars.Context())

    async def _serve(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in STREAMING_PATHS:
            await self.app(scope, receive, send)
            return
        try:  # the whole request first, on the event loop (core.intake)
            taken = await intake.take(scope, receive)
        except intake.Refused as refused:
            await intake.refuse(send, refused)
            return
        if taken is None:
            return  # the client has gone
        receive = taken
        idle = self._pool()
        executor = await idle.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.app(scope, receive, send)
        finally:
            idle.put_nowait(executor)


    def close(self) -> None:
        """Close each pooled thread's database connection and end the threads (the
        server has stopped; a test's database can then be dropped)."""
        from django.db import connections

        if self._idle is None:
            return
        while not self._idle.empty():
            executor = self._idle.get_nowait()
            executor.submit(connections.close_all).result(timeout=10)
            executor.shutdown(wait=True)
        self._idle = None


async def _lifespan(receive: Any, send: Any) -> None:
    """ASGI lifespan (Django's handler has none): the process's start and stop hooks."""
    from asgiref.sync import sync_to_async

    from smartcity.core import lifecycle

    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await sync_to_async(lifecycle.start_all, thread_sensitive=False)()
            except Exception as error:
                await send({"type": "lifespan.startup.failed", "message": str(error)})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sync_to_async(lifecycle.stop_all, thread_sensitive=False)()
            await send({"type": "lifespan.shutdown.complete"})
            return
