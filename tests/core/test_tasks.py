"""The task queue with a real consumer (threads, as inside `smartcity serve`), on the
embedded SQLite queue and, when one answers on 127.0.0.1:6379, on Redis."""

from __future__ import annotations

import logging
import socket
import time
import uuid

import pytest
from huey.exceptions import TaskException

from smartcity.core import config, lifecycle, tasks

calls: list[str] = []


@tasks.queue.task(name="test.double")
def double(n: int) -> int:
    return 2 * n


@tasks.queue.task(retries=2, retry_delay=0, name="test.flaky")
def flaky(key: str) -> str:
    calls.append(key)
    if calls.count(key) < 2:
        raise RuntimeError(f"first attempt of {key} fails")
    return "done"


@tasks.queue.task(retries=1, retry_delay=0, name="test.broken")
def broken(key: str) -> None:
    calls.append(key)
    raise RuntimeError("always fails")


@pytest.mark.skipif(bool(config.value("REDIS_URL")), reason="the suite runs on Redis")
def test_the_embedded_queue_is_a_sqlite_file():
    assert type(tasks.queue).__name__ == "SqliteHuey"
    assert tasks.queue.name == "smartcity-test"


def test_an_enqueued_task_runs_in_the_consumer(consumer):
    assert double(21).get(blocking=True, timeout=10) == 42


def test_a_failing_task_is_logged_and_retried(consumer, caplog):
    key = uuid.uuid4().hex
    with caplog.at_level(logging.ERROR, logger="huey"):
        assert _final(flaky(key)) == "done"
    assert calls.count(key) == 2
    assert any("Unhandled exception in task" in r.getMessage() for r in caplog.records)


def _final(result, seconds=10.0):
    """The value of a task's last attempt (each failed attempt stores its error first)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return result.get(blocking=True, timeout=seconds)
        except TaskException:
            if time.monotonic() > deadline:
                raise
            result.reset()
            time.sleep(0.05)


def test_a_task_that_keeps_failing_stops_after_its_retries(consumer):
    key = uuid.uuid4().hex
    result = broken(key)
    deadline = time.monotonic() + 10
    while calls.count(key) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert calls.count(key) == 2  # the first attempt and one retry, no more
    with pytest.raises(TaskException):
        result.get(blocking=True, timeout=2)


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_redis_queue_runs_tasks():
    queue = tasks.build_queue(
        redis_url="redis://127.0.0.1:6379/0", name=f"smartcity-test-{uuid.uuid4().hex}", folder=None
    )
    assert type(queue).__name__ == "RedisHuey"
    square = queue.task(name="test.square")(lambda n: n * n)
    running = tasks.create_consumer(queue, embedded=True, periodic=False)
    running.start()
    try:
        assert square(7).get(blocking=True, timeout=10) == 49
    finally:
        running.stop(graceful=True)
        queue.flush()


def test_in_server_default_follows_the_queue(monkeypatch):
    monkeypatch.delenv("SMARTCITY_TASKS_IN_SERVER", raising=False)
    monkeypatch.delenv("SMARTCITY_REDIS_URL", raising=False)
    assert tasks.runs_in_server()
    monkeypatch.setenv("SMARTCITY_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert not tasks.runs_in_server()
    monkeypatch.setenv("SMARTCITY_TASKS_IN_SERVER", "1")
    assert tasks.runs_in_server()


def test_the_server_lifecycle_runs_the_consumer(monkeypatch):
    monkeypatch.setenv("SMARTCITY_TASKS_IN_SERVER", "1")
    tasks.queue.flush()
    lifecycle.start_all()
    try:
        assert tasks._embedded
        assert double(5).get(blocking=True, timeout=10) == 10
    finally:
        lifecycle.stop_all()
        tasks.queue.flush()
    assert not tasks._embedded
