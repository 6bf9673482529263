"""Requests' synchronous work runs on a fixed set of long-lived threads."""

from __future__ import annotations

import asyncio
import threading
import time

from asgiref.sync import sync_to_async

from smartcity.core import threads as threads_module
from smartcity.core.threads import ThreadPoolApp


def _app_recording(threads: list[int], delay: float = 0.0):
    def work() -> None:
        time.sleep(delay)
        threads.append(threading.get_ident())

    async def app(scope, receive, send):
        await sync_to_async(work, thread_sensitive=True)()

    return app


def _drive(main) -> None:
    """asyncio.run in a thread of its own: the browser tests leave a loop in this one."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:  # reported to the test below
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    assert not errors, errors


async def _no_body() -> dict:
    return {"type": "http.request", "body": b"", "more_body": False}


def _run(app, count: int, kind: str = "http") -> None:
    async def main() -> None:
        await asyncio.gather(*(app({"type": kind}, _no_body, None) for _ in range(count)))

    _drive(main)


def test_sequential_requests_reuse_threads():
    seen: list[int] = []
    app = ThreadPoolApp(_app_recording(seen), threads=2)

    async def main() -> None:
        for _ in range(6):
            await app({"type": "http"}, _no_body, None)

    _drive(main)
    assert len(seen) == 6 and len(set(seen)) <= 2


def test_concurrent_requests_spread_over_the_pool():
    seen: list[int] = []
    app = ThreadPoolApp(_app_recording(seen, delay=0.05), threads=4)
    started = time.perf_counter()
    _run(app, 8)
    elapsed = time.perf_counter() - started
    assert len(set(seen)) == 4
    assert elapsed < 8 * 0.05  # ran in parallel, not one after another


def test_other_scopes_pass_through():
    calls: list[str] = []

    async def app(scope, receive, send):
        calls.append(scope["type"])

    _run(ThreadPoolApp(app, threads=1), 1, kind="websocket")
    assert calls == ["websocket"]


def test_lifespan_runs_the_start_and_stop_hooks(monkeypatch):
    """ASGI lifespan: the process's hooks (core.lifecycle), e.g. the MQTT bridge."""
    from smartcity.core import lifecycle

    monkeypatch.setattr(lifecycle, "_start", [])
    monkeypatch.setattr(lifecycle, "_stop", [])
    calls: list[str] = []
    lifecycle.register(lambda: calls.append("start"), lambda: calls.append("stop"))
    sent: list[str] = []

    async def main() -> None:
        inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        for kind in ("lifespan.startup", "lifespan.shutdown"):
            inbox.put_nowait({"type": kind})

        async def send(message):
            sent.append(message["type"])

        await ThreadPoolApp(None, threads=1)({"type": "lifespan"}, inbox.get, send)

    _drive(main)
    assert calls == ["start", "stop"]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_a_service_is_made_started_and_stopped_once(monkeypatch):
    """lifecycle.register_service: a service its settings leave off is not started."""
    from smartcity.core import lifecycle

    monkeypatch.setattr(lifecycle, "_start", [])
    monkeypatch.setattr(lifecycle, "_stop", [])
    calls: list[str] = []

    class Running:
        def start(self) -> None:
            calls.append("start")

        def stop(self) -> None:
            calls.append("stop")

    lifecycle.register_service(Running)
    lifecycle.register_service(lambda: None)  # turned off
    lifecycle.start_all()
    lifecycle.start_all()  # a second start makes no second service
    lifecycle.stop_all()
    lifecycle.stop_all()
    assert calls == ["start", "stop"]


def test_a_request_started_from_inside_another_does_not_inherit_its_thread_context():
    """uvicorn may start a keep-alive connection's next request from inside the previous
    request's task; that request's ThreadSensitiveContext has exited by the time the next
    one runs (asgiref's "ThreadSensitiveContext has exited", once a 500 on /umwelt/live)."""
    STREAMING = "/test-stream"
    started: list[asyncio.Task] = []
    seen: list[int] = []

    async def inner(scope, receive, send):
        await sync_to_async(lambda: seen.append(threading.get_ident()), thread_sensitive=True)()
        if scope["path"] != STREAMING:  # as uvicorn does with a pipelined request
            started.append(asyncio.create_task(app(dict(scope, path=STREAMING), _no_body, None)))

    app = ThreadPoolApp(inner, threads=1)
    threads_module.STREAMING_PATHS.add(STREAMING)

    async def main() -> None:
        await app({"type": "http", "path": "/x"}, _no_body, None)
        await started[0]

    try:
        _drive(main)
    finally:
        threads_module.STREAMING_PATHS.discard(STREAMING)
    assert len(seen) == 2
