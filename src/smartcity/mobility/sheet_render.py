"""What the PDF of a departure sheet may cost (``/mobilitaet/haltestelle/<id>/aushang.pdf``):
WeasyPrint needs about 3 s of a core for the busiest stop, so a burst of requests could
take every thread of a server process. Two budgets, both settings:

- a **cache**: each PDF is kept ``SMARTCITY_MOBILITY_SHEET_CACHE_SECONDS`` (Django's
  cache, keyed by what the PDF depends on: stop, day, timetable version, ...), so a
  stop's sheet of a day is rendered once and then served from the cache;
- a **cap**: at most ``SMARTCITY_MOBILITY_SHEET_MAX_RENDERS`` renders at once per server
  process (a semaphore); a request beyond it waits for none and is refused with
  :class:`Busy` (the view answers 503 with ``Retry-After``), so the other pages stay
  quick. A request whose PDF another one rendered meanwhile takes it from the cache.

Framework-free but for Django's cache."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.cache import cache

from smartcity.core import config

RETRY_AFTER = 5  # seconds: more than one render of the busiest stop takes


class Busy(Exception):
    """Every render slot of this process is taken."""


_slots: dict[int, threading.BoundedSemaphore] = {}  # by SMARTCITY_MOBILITY_SHEET_MAX_RENDERS
_slots_lock = threading.Lock()


def _render_slots() -> threading.BoundedSemaphore:
    count = int(config.get("MOBILITY_SHEET_MAX_RENDERS"))
    with _slots_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


def pdf(key: str, render: Callable[[], bytes]) -> bytes:
    """The PDF of ``key`` from the cache, else ``render()`` within the cap (and cached);
    Busy when the cap is reached."""
    body: bytes | None = cache.get(key)
    if body is not None:
        return body
    slots = _render_slots()
    if not slots.acquire(blocking=False):
        raise Busy(key)
    try:
        body = cache.get(key)  # rendered by another request while this one came in
        if body is None:
            body = render()
            seconds = int(config.get("MOBILITY_SHEET_CACHE_SECONDS"))
            if seconds > 0:
                cache.set(key, body, seconds)
        return body
    finally:
        slots.release()
