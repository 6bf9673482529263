"""The live-stream hub with a source of its own: every item reaches every listener once, a
reconnect resumes after its id, at most CATCH_UP items are replayed, and a client that
never reads is dropped instead of growing the server's memory."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from smartcity.core import live


class ListSource:
    event = "items"

    def __init__(self) -> None:
        self.items: list[int] = []
        self.lock = threading.Lock()

    def add(self, *values: int) -> None:
        with self.lock:
            self.items.extend(values)

    def newest(self) -> int:
        with self.lock:
            return len(self.items)

    def after(self, cursor: int, limit: int) -> live.Update | None:
        with self.lock:
            chunk = self.items[cursor : cursor + limit]
        return (cursor + len(chunk), chunk) if chunk else None


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(live, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(live, "KEEPALIVE_SECONDS", 0.5)


def _hub(source: ListSource) -> live.Hub:
    return live.Hub(source, name="test-live")


def test_new_items_reach_the_stream_and_a_reconnect_resumes_after_its_id(fast):
    source = ListSource()
    source.add(1, 2)
    hub = _hub(source)
    try:
        events = live.stream_sync(hub, None)
        assert next(events) == live.hello(2)  # the stream starts after the newest item
        source.add(3, 4)
        assert next(events) == b"id: 4\nevent: items\ndata: [3,4]\n\n"
        events.close()
        assert hub.listening == 0
        source.add(5)
        resumed = live.stream_sync(hub, 4)
        next(resumed)
        assert next(resumed) == b"id: 5\nevent: items\ndata: [5]\n\n"
        resumed.close()
    finally:
        hub.close()


def test_a_reconnect_far_behind_is_replayed_at_most_catch_up_items(fast, monkeypatch):
    monkeypatch.setattr(live, "CATCH_UP", 3)
    source = ListSource()
    source.add(*range(10))
    hub = _hub(source)
    try:
        events = live.stream_sync(hub, 0)
        next(events)
        assert next(events) == b"id: 10\nevent: items\ndata: [7,8,9]\n\n"
        events.close()
    finally:
        hub.close()


def test_a_quiet_stream_sends_keepalives(fast):
    hub = _hub(ListSource())
    try:
        events = live.stream_sync(hub, None)
        next(events)
        assert next(events) == live.KEEPALIVE
        events.close()
    finally:
        hub.close()


@pytest.fixture
def small_queue(fast, monkeypatch):
    """One item per event and three events per client at most."""
    monkeypatch.setattr(live, "BATCH", 1)
    monkeypatch.setattr(live, "MAX_QUEUED", 3)
    source = ListSource()
    return source, _hub(source)


def test_a_client_that_never_reads_is_dropped_not_buffered_without_end(small_queue):
    source, hub = small_queue
    try:
        events = live.stream_sync(hub, None)
        next(events)  # connected, then reads nothing while 50 items arrive
        source.add(*range(50))
        deadline = time.monotonic() + 10
        while hub._listeners and next(iter(hub._listeners.values()))[1] < 50:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # the three queued events, then the stream ends; the browser would reconnect
        assert [e.split(b"\n")[0] for e in events] == [b"id: 1", b"id: 2", b"id: 3"]
        assert hub.listening == 0
    finally:
        hub.close()


def test_the_async_stream_drops_a_client_that_never_reads(small_queue):
    source, hub = small_queue

    async def scenario() -> list[bytes]:
        events = live.stream_async(hub, None)
        assert (await events.__anext__()).startswith(b"retry: 5000\nid: ")
        source.add(*range(20))
        await asyncio.sleep(0.5)  # the poller delivers all 20 while nobody reads
        return [chunk async for chunk in events]

    found: list[list[bytes]] = []
    runner = threading.Thread(target=lambda: found.append(asyncio.run(scenario())))
    try:
        runner.start()
        runner.join(30)
    finally:
        hub.close()
    (chunks,) = found
    assert [c.split(b"\n")[0] for c in chunks] == [b"id: 1", b"id: 2", b"id: 3"]
    assert hub.listening == 0
