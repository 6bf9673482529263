"""Every request's time budget: its database work ends after ``SMARTCITY_REQUEST_TIME_LIMIT``
seconds with a 400 that says so, instead of holding a worker thread and the store for as
long as an expensive query runs (a ``$filter`` on a computed value over every Observation).

:class:`DeadlineMiddleware` opens the budget for each request. On SQLite a progress handler
on each connection interrupts a statement once the running request's deadline has passed;
on PostgreSQL the server does it (``statement_timeout``, set on a connection the first time
a request uses it and reset when the connection goes back to the pool, so background tasks
and migrations keep no limit). Either way the store's error becomes :class:`TimeExceeded`.
Work outside a request (tasks, importers, the command line) has no deadline. The same
wrapper turns a store that cannot write now (read-only, disk full) into a 503
(``core.storefaults``).
"""

from __future__ import annotations

import contextvars
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

from smartcity.core import config, storefaults
from smartcity.core.errors import ApiError

# SQLite calls the progress handler every this many virtual machine steps: often enough to
# stop within milliseconds, rarely enough to cost nothing measurable.
PROGRESS_STEPS = 20_000

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)
# PostgreSQL connections a request has set statement_timeout on, with the value
_limited: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


class TimeExceeded(ApiError):
    status = 400

    def __init__(self) -> None:
        limit = config.get("REQUEST_TIME_LIMIT")
        super().__init__(
            f"the answer would take longer than {limit:g} s to compute "
            "(SMARTCITY_REQUEST_TIME_LIMIT); ask for less: a narrower $filter, a smaller "
            "$top or fewer $expand",
            where="query",
        )


@contextmanager
def scope(seconds: float) -> Iterator[None]:
    """A deadline ``seconds`` from now for the database work of this context (0: none)."""
    token = _deadline.set(time.monotonic() + seconds if seconds > 0 else None)
    try:
        yield
    finally:
        _deadline.reset(token)


@contextmanager
def held_to(seconds: float) -> Iterator[None]:
    """A request's budget: the deadline, and the store's work held to it."""
    with scope(seconds), connection.execute_wrapper(_guard):
        yield


def passed() -> bool:
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline


def sqlite_progress() -> int:
    """SQLite's progress handler: non-zero interrupts the running statement."""
    return 1 if passed() else 0


def install_sqlite(raw: Any) -> None:
    raw.set_progress_handler(sqlite_progress, PROGRESS_STEPS)


def reset_pooled(raw: Any) -> None:
    """psycopg_pool's ``reset``: a connection going back to the pool loses the timeout."""
    if connection.vendor == "postgresql" and _limited.pop(raw, None) is not None:
        raw.execute("RESET statement_timeout")


def _guard(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """Django's execute wrapper for a request: the deadline on PostgreSQL, and the store's
    interruption as what it is."""
    if passed():
        raise TimeExceeded
    if connection.vendor == "postgresql" and _deadline.get() is not None:
        raw = connection.connection
        milliseconds = max(1, int(config.get("REQUEST_TIME_LIMIT") * 1000))
        if _limited.get(raw) != milliseconds:
            raw.execute(f"SET statement_timeout = {milliseconds}")
            _limited[raw] = milliseconds
    try:
        return execute(sql, params, many, context)
    except DatabaseError as error:
        if passed() or _cancelled(error):
            raise TimeExceeded from error
        if storefaults.unavailable(error):
            raise storefaults.StoreUnavailable from error
        raise


def _cancelled(error: BaseException) -> bool:
    cause = error.__cause__
    return type(cause).__name__ == "QueryCanceled"  # psycopg.errors.QueryCanceled


class DeadlineMiddleware:
    """Opens each request's time budget (outermost of the platform's middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with held_to(config.get("REQUEST_TIME_LIMIT")):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A page (JSON paths answer in core.middleware): the message, as plain text."""
        if isinstance(exc, TimeExceeded | storefaults.StoreUnavailable):
            return HttpResponse(
                exc.message, status=exc.status, content_type="text/plain", headers=exc.headers
            )
        return None
