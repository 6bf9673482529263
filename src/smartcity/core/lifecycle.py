"""Start and stop hooks of a server process: domains register what runs beside the
requests (the MQTT bridge, the task consumer) through ``Domain.services``; the ASGI lifespan
(core.threads.ThreadPoolApp) runs them once per process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger("smartcity.lifecycle")
Hook = Callable[[], None]
_start: list[Hook] = []
_stop: list[Hook] = []


def register(start: Hook, stop: Hook) -> None:
    if start not in _start:
        _start.append(start)
        _stop.insert(0, stop)


class Service(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


def register_service(make: Callable[[], Service | None]) -> None:
    """A background service of the server process: at start ``make()`` builds it (None when
    its settings leave it off) and starts it; at stop it is stopped."""
    running: list[Service] = []

    def start() -> None:
        service = None if running else make()
        if service is not None:
            service.start()
            running.append(service)

    def stop() -> None:
        while running:
            running.pop().stop()

    register(start, stop)


def start_all() -> None:
    for hook in _start:
        hook()


def stop_all() -> None:
    for hook in _stop:
        try:
            hook()
        except Exception:
            log.exception("stop hook %r failed", hook)
