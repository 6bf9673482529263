"""The task queue: background work (scheduled imports, alert evaluation, notifications)
with huey.

One machine: the queue is a SQLite file beside the store (``DATA_DIR/tasks.sqlite3``) and
the consumer runs inside ``smartcity serve`` (``SMARTCITY_TASKS_IN_SERVER``), so
``make run`` stays one process. Scaled out: ``SMARTCITY_REDIS_URL`` selects Redis and
``smartcity worker`` runs the consumer in processes of its own. Domains declare their
tasks with ``@queue.task()`` / ``@queue.periodic_task()`` in their ``tasks.py``, imported
named in their ``Domain.tasks`` (core.contract), imported when the apps are ready.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from smartcity.core import config

log = logging.getLogger("smartcity.tasks")
__all__ = ["crontab", "queue"]


def build_queue(*, redis_url: str, name: str, folder: Path | None) -> Huey:
    """A huey instance on Redis when ``redis_url`` is given, else on a SQLite file."""
    if redis_url:
        return RedisHuey(name, url=redis_url)
    assert folder is not None, "the embedded queue needs a folder"
    folder.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(folder / "tasks.sqlite3"))


def _connections_back(task: Any, value: Any, error: Exception | None) -> None:
    """After each task: hand a PostgreSQL connection back to the pool (CONN_MAX_AGE=0),
    as the end of a request does; SQLite's long-lived connection stays."""
    from django.db import close_old_connections

    close_old_connections()


def _install_hooks(huey: Huey) -> Huey:
    huey.post_execute("smartcity_connections")(_connections_back)
    return huey


queue: Huey = _install_hooks(
    build_queue(
        redis_url=config.get("REDIS_URL"),
        name=config.get("TASK_QUEUE_NAME"),
        folder=config.data_dir(),
    )
)


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer inside another program (the ASGI server): the host owns the signals."""

    def _set_signal_handlers(self) -> None:
        return None


def create_consumer(huey: Huey | None = None, *, embedded: bool, periodic: bool = True) -> Any:
    kind = EmbeddedConsumer if embedded else Consumer
    return kind(
        huey or queue,
        workers=config.get("TASK_WORKERS"),
        worker_type="thread",
        periodic=periodic,
        max_delay=2.0,
        shutdown_timeout=30,
        graceful_signal="TERM",  # what systemd and container runtimes send to stop
    )


def runs_in_server() -> bool:
    """``auto`` (the default): inside ``smartcity serve`` exactly when the queue is the
    embedded SQLite file; with Redis the consumer is ``smartcity worker``'s job."""
    setting = config.get("TASKS_IN_SERVER")
    if setting == "auto":
        return not config.get("REDIS_URL")
    return config.flag("TASKS_IN_SERVER")


_embedded: list[Any] = []


def start_in_server() -> None:
    """Lifecycle start hook of a server process."""
    if not runs_in_server() or _embedded:
        return
    consumer = create_consumer(embedded=True)
    consumer.start()
    _embedded.append(consumer)
    log.info("task consumer running inside the server")


def stop_in_server() -> None:
    while _embedded:
        _embedded.pop().stop(graceful=True)
