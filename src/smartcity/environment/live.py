"""Live updates for the dashboard: Server-Sent Events at ``/umwelt/live``.

One poller thread per process (only while someone listens) reads the observations written
since it last looked, by primary key, every :data:`POLL_SECONDS`. So a page sees every new
value whichever way and in whichever process it was written (HTTP, MQTT, importers, the
demo feeder), on SQLite and PostgreSQL alike, and the store is asked once per second
however many pages are open. Each event carries the id of the last observation in it; a
browser reconnecting sends it back as ``Last-Event-ID`` and misses nothing.

Under ASGI a listener is an asyncio queue (the connection holds no worker thread:
``core.threads`` leaves :data:`PATH` out of its thread pool); under WSGI, as in the test
server, it is a thread blocking on a plain queue.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import orjson
from django.db import close_old_connections, connection

from smartcity.environment import dashboard
from smartcity.sensors import services as sensors

log = logging.getLogger("smartcity.environment.live")
PATH = "/umwelt/live"
POLL_SECONDS = 1.0
KEEPALIVE_SECONDS = 15.0
BATCH = 500
CATCH_UP = 5000  # at most this many observations are replayed after a reconnect

Update = tuple[int, list[dict[str, Any]]]  # (last observation id, values)
Listener = Callable[[Update], None]


class Hub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, tuple[Listener, int]] = {}  # key -> (listener, after)
        self._thread: threading.Thread | None = None
        self._definitions: dict[int, str] = {}
        self._keys = itertools.count(1)
        self._stop = threading.Event()

    def listen(self, listener: Listener, after: int | None) -> int:
        """Register ``listener`` for observations after id ``after`` (None: from now on);
        returns the key to :meth:`leave` with."""
        start = sensors.newest_observation_id() if after is None else after
        with self._lock:
            key = next(self._keys)
            self._listeners[key] = (listener, start)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="smartcity-live",
                                                daemon=True)
                self._thread.start()
        return key

    def leave(self, key: int) -> None:
        with self._lock:
            self._listeners.pop(key, None)

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
                    log.exception("live updates: reading new observations failed")
        finally:
            with self._lock:
                self._thread = None
            connection.close()

    def _deliver(self, listeners: dict[int, tuple[Listener, int]]) -> None:
        """Read once per distinct resume point (normally one: everybody is up to date)."""
        newest = sensors.newest_observation_id()
        waiting: dict[int, list[tuple[int, Listener]]] = {}
        for key, (listener, after) in listeners.items():
            waiting.setdefault(max(after, newest - CATCH_UP), []).append((key, listener))
        for after, group in waiting.items():
            while after < newest:
                values = sensors.observations_after(after, BATCH)
                if not values:
                    break
                after = values[-1].observation
                update = (after, [self._describe(v) for v in values])
                for _, listener in group:
                    listener(update)
            with self._lock:
                for key, listener in group:
                    if key in self._listeners:
                        self._listeners[key] = (listener, after)

    def _describe(self, value: sensors.NewValue) -> dict[str, Any]:
        definition = self._definitions.get(value.datastream)
        if definition is None:
            definition = sensors.observed_property_definition(value.datastream) or ""
            self._definitions[value.datastream] = definition
        return {
            "datastream": value.datastream,
            "time": value.phenomenon_time,
            "value": value.result,
            "level": dashboard.classify(definition, value.result),
        }


hub = Hub()


def event(update: Update) -> bytes:
    last, values = update
    return b"id: %d\nevent: observations\ndata: %s\n\n" % (last, orjson.dumps(values))


def last_event_id(header: str | None) -> int | None:
    """The resume point a reconnecting browser sends; None when absent or not an id."""
    if header is None or not header.strip().isdigit() or len(header.strip()) > 18:
        return None
    return int(header)


def stream_sync(after: int | None) -> Iterator[bytes]:
    """The event stream for a WSGI server: one blocked thread per listener."""
    inbox: queue.Queue[Update] = queue.Queue()
    key = hub.listen(inbox.put, after)
    try:
        yield b"retry: 5000\n: connected\n\n"
        while True:
            try:
                yield event(inbox.get(timeout=KEEPALIVE_SECONDS))
            except queue.Empty:
                yield b": keepalive\n\n"
    finally:
        hub.leave(key)


def _listen_once(listener: Listener, after: int | None) -> int:
    """hub.listen from a thread of the loop's executor, which keeps no connection open."""
    try:
        return hub.listen(listener, after)
    finally:
        connection.close()


async def stream_async(after: int | None) -> AsyncIterator[bytes]:
    """The event stream for an ASGI server: the poller thread hands updates to the loop."""
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Update] = asyncio.Queue()

    def listener(update: Update) -> None:
        loop.call_soon_threadsafe(inbox.put_nowait, update)

    from asgiref.sync import sync_to_async

    key = await sync_to_async(_listen_once, thread_sensitive=False)(listener, after)
    try:
        yield b"retry: 5000\n: connected\n\n"
        while True:
            try:
                update = await asyncio.wait_for(inbox.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield b": keepalive\n\n"
                continue
            yield event(update)
    finally:
        hub.leave(key)
