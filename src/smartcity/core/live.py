"""Live streams to browsers: Server-Sent Events fed by one poller thread per stream and process.

A domain gives a :class:`Source`: where the newest item is (a cursor, e.g. the highest
primary key) and the items after a cursor. A :class:`Hub` polls it every
:data:`POLL_SECONDS`, only while someone listens, so a page sees every new item whichever
way and in whichever process it was written, on SQLite and PostgreSQL alike, and the store
is asked once per second however many pages are open. Each event carries its cursor as
``id:``; a browser reconnecting sends it back as ``Last-Event-ID`` and misses nothing (at
most :data:`CATCH_UP` items are replayed).

Under ASGI a listener is an asyncio queue (the connection holds no worker thread: its path
is a ``Domain.live_streams`` entry, which ``core.threads`` leaves out of its pool); under
WSGI, as in the test server, it is a thread blocking on a plain queue. Each listener's
queue holds at most :data:`MAX_QUEUED` events: a client that does not read is dropped (its
stream ends; a browser reconnects and resumes) instead of growing the server's memory.
A stream takes at most ``SMARTCITY_LIVE_MAX_CLIENTS`` clients per process (:meth:`Hub.full`;
the page answers the next with 503 and Retry-After, and the browser retries).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol

import orjson
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from smartcity.core import config

log = logging.getLogger("smartcity.live")
POLL_SECONDS = 1.0
KEEPALIVE_SECONDS = 15.0
BATCH = 500  # items per event
CATCH_UP = 5000  # at most this many items are replayed after a reconnect
MAX_QUEUED = 100  # events waiting for one client; past that the client is dropped

Update = tuple[int, list[Any]]  # (cursor of the last item, the items)
Listener = Callable[[Update], None]


class Source(Protocol):
    """What a hub streams: ``event`` names the SSE event type; items are JSON-serialisable."""

    event: str

    def newest(self) -> int: ...  # the cursor of the newest item now

    def after(self, cursor: int, limit: int) -> Update | None: ...  # next items, None: none


class Hub:
    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        self._lock = threading.Lock()
        self._listeners: dict[int, tuple[Listener, int]] = {}  # key -> (listener, after)
        self._thread: threading.Thread | None = None
        self._keys = itertools.count(1)
        self._stop = threading.Event()

    def listen(self, listener: Listener, after: int | None) -> tuple[int, int]:
        """Register ``listener`` for items after cursor ``after`` (None: from now on);
        returns the key to :meth:`leave` with and the cursor the listener starts after."""
        start = self.source.newest() if after is None else after
        with self._lock:
            key = next(self._keys)
            self._listeners[key] = (listener, start)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
        return key, start

    def leave(self, key: int) -> None:
        with self._lock:
            self._listeners.pop(key, None)

    @property
    def listening(self) -> int:
        with self._lock:
            return len(self._listeners)

    def full(self) -> bool:
        """Whether the stream has as many clients as one process takes
        (``SMARTCITY_LIVE_MAX_CLIENTS``): the next is answered 503, to come back later."""
        return self.listening >= config.get("LIVE_MAX_CLIENTS")

    def close(self) -> None:
        """Drop every listener and wait for the poller to end (tests, shutdown)."""
        with self._lock:
            self._listeners.clear()
            thread = self._thread
        if thread is not None:
            self._stop.set()
            thread.join(timeout=10)
        self._stop.clear()

    def _run(self) -> None:
        try:
            while not self._stop.wait(POLL_SECONDS):
                with self._lock:
                    if not self._listeners:
                        break
                    listeners = dict(self._listeners)
                try:
                    close_old_connections()
                    self._deliver(listeners)
                except Exception:
                    log.exception("live stream %s: reading new items failed", self.name)
        finally:
            with self._lock:
                self._thread = None
            connection.close()

    def _deliver(self, listeners: dict[int, tuple[Listener, int]]) -> None:
        """Read once per distinct resume point (normally one: everybody is up to date)."""
        newest = self.source.newest()
        waiting: dict[int, list[tuple[int, Listener]]] = {}
        for key, (listener, after) in listeners.items():
            waiting.setdefault(max(after, newest - CATCH_UP), []).append((key, listener))
        for after, group in waiting.items():
            while after < newest:
                update = self.source.after(after, BATCH)
                if update is None:
                    break
                after = update[0]
                for _, listener in group:
                    listener(update)
            with self._lock:
                for key, listener in group:
                    if key in self._listeners:
                        self._listeners[key] = (listener, after)


def event(name: str, update: Update) -> bytes:
    last, items = update
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (last, name.encode(), orjson.dumps(items))


def last_event_id(header: str | None) -> int | None:
    """The resume point a reconnecting browser sends; None when absent or not an id."""
    if header is None or not header.strip().isdigit() or len(header.strip()) > 18:
        return None
    return int(header)


def hello(start: int) -> bytes:
    """A stream's first event: how long the browser waits before it reconnects, and the
    cursor the stream starts after, so that a page that loses the stream before any item
    came resumes from there (``?after=``) and misses nothing written in between."""
    return b"retry: 5000\nid: %d\nevent: ready\ndata: {}\n\n" % start

KEEPALIVE = b": keepalive\n\n"


class _Bounded:
    """Hands updates to a client's queue (a thread's or the event loop's) until
    MAX_QUEUED wait there; then one None, which ends the stream, and nothing more."""

    def __init__(self, inbox: queue.Queue[Update | None] | asyncio.Queue[Update | None]) -> None:
        self.inbox = inbox
        self.dropped = False

    def __call__(self, update: Update) -> None:
        if self.dropped:
            return
        if self.inbox.qsize() >= MAX_QUEUED:
            self.dropped = True
            self.inbox.put_nowait(None)
        else:
            self.inbox.put_nowait(update)


def stream_sync(hub: Hub, after: int | None) -> Iterator[bytes]:
    """The event stream for a WSGI server: one blocked thread per listener."""
    inbox: queue.Queue[Update | None] = queue.Queue()
    key, start = hub.listen(_Bounded(inbox), after)  # the poller: the queue's only producer
    try:
        yield hello(start)
        while True:
            try:
                update = inbox.get(timeout=KEEPALIVE_SECONDS)
            except queue.Empty:
                yield KEEPALIVE
                continue
            if update is None:
                return
            yield event(hub.source.event, update)
    finally:
        hub.leave(key)


def _listen_once(hub: Hub, listener: Listener, after: int | None) -> tuple[int, int]:
    """hub.listen from a thread of the loop's executor, which keeps no connection open."""
    try:
        return hub.listen(listener, after)
    finally:
        connection.close()


async def stream_async(hub: Hub, after: int | None) -> AsyncIterator[bytes]:
    """The event stream for an ASGI server: the poller thread hands updates to the loop."""
    from asgiref.sync import sync_to_async

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Update | None] = asyncio.Queue()
    offer = _Bounded(inbox)  # runs on the loop, so it needs no lock

    def listener(update: Update) -> None:
        loop.call_soon_threadsafe(offer, update)

    listening = sync_to_async(_listen_once, thread_sensitive=False)
    key, start = await listening(hub, listener, after)
    try:
        yield hello(start)
        while True:
            try:
                update = await asyncio.wait_for(inbox.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield KEEPALIVE
                continue
            if update is None:
                log.info("live stream %s: a client that does not read was dropped", hub.name)
                return
            yield event(hub.source.event, update)
    finally:
        hub.leave(key)


def response(hub: Hub, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """A domain's live-stream view: the event stream of ``hub`` from the resume point the
    browser sends (its own reconnect: ``Last-Event-ID``; the page's, after a 503:
    ``?after=``), streamed from the event loop under ASGI; or, when the stream is full
    (SMARTCITY_LIVE_MAX_CLIENTS), 503 with Retry-After."""
    if hub.full():
        busy = HttpResponse("retry: 30000\n\n", status=503, content_type="text/event-stream")
        busy["Retry-After"] = "30"
        return busy
    after = last_event_id(request.headers.get("Last-Event-ID") or request.GET.get("after"))
    asgi = isinstance(request, ASGIRequest)
    content = stream_async(hub, after) if asgi else stream_sync(hub, after)
    streamed = StreamingHttpResponse(content, content_type="text/event-stream")
    streamed["Cache-Control"] = "no-cache"
    streamed["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    return streamed
