"""Start and stop hooks of a server process: domains register what runs beside the
requests (the MQTT bridge, later the scheduler) from AppConfig.ready(); the ASGI lifespan
(core.threads.ThreadPoolApp) runs them once per process."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("smartcity.lifecycle")
Hook = Callable[[], None]
_start: list[Hook] = []
_stop: list[Hook] = []


def register(start: Hook, stop: Hook) -> None:
    if start not in _start:
        _start.append(start)
        _stop.insert(0, stop)


def start_all() -> None:
    for hook in _start:
        hook()


def stop_all() -> None:
    for hook in _stop:
        try:
            hook()
        except Exception:
            log.exception("stop hook %r failed", hook)
