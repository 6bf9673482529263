"""What one SensorThings answer may cost: at most ``SMARTCITY_STA_MAX_ENTITIES`` entities
(top-level and expanded together, across all parts of a ``$batch``), at most
``SMARTCITY_STA_MAX_ANSWER_BYTES`` of text read for it from the store (names,
descriptions, properties, results: what makes an entity large), and ``$expand``
nested at most ``SMARTCITY_STA_MAX_EXPAND_DEPTH`` levels. A request over its budget is a
400 that says which limit it met and how to ask for less, before the answer is built:
an entity is counted when it is fetched, and an expansion fetches no more rows than the
budget has left (plus one, to know it is exceeded), so memory stays bounded by the budget
whatever the request.

The budget lives for one request (:func:`scope`, opened by ``api.handle``); an embedded
request of a ``$batch`` spends from its batch's budget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import NoReturn

from smartcity.core import config
from smartcity.core.errors import ApiError, BadRequest


class AnswerTooLarge(BadRequest):
    """The answer would hold more entities than one answer may."""


class Busy(ApiError):
    """Every slot for a large answer is taken for longer than a request waits."""

    status = 503
    headers = {"Retry-After": "2"}


# Up to this many entities an answer is small: it needs no slot (below). The page of a
# plain read (at most 1000) fits, so the sensors' and the dashboard's reads never wait.
SMALL = 1000
_slots: dict[int, threading.BoundedSemaphore] = {}  # by SMARTCITY_STA_LARGE_ANSWERS
_slots_lock = threading.Lock()


def _large_answer_slots() -> threading.BoundedSemaphore:
    count = int(config.get("STA_LARGE_ANSWERS"))
    with _slots_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


@dataclass
class Budget:
    entities: int  # still to spend
    limit: int
    text: int = 0  # bytes (characters) of text still to read
    text_limit: int = 0
    slot: threading.BoundedSemaphore | None = None  # held while the answer is large

    def spend(self, n: int) -> None:
        self.entities -= n
        if self.entities < 0:
            self.refuse()
        if self.limit - self.entities > SMALL:
            self.grow()

    def grow(self) -> None:
        """Take one of the process's slots for large answers (SMARTCITY_STA_LARGE_ANSWERS),
        waiting at most SMARTCITY_STA_LARGE_ANSWER_WAIT seconds; then 503."""
        if self.slot is not None:
            return
        slots = _large_answer_slots()
        if not slots.acquire(timeout=config.get("STA_LARGE_ANSWER_WAIT")):
            raise Busy(
                "the server is building as many large answers as it builds at once "
                "(SMARTCITY_STA_LARGE_ANSWERS); try again in a moment, or ask for less",
            )
        self.slot = slots

    def release(self) -> None:
        if self.slot is not None:
            self.slot.release()
            self.slot = None

    def spend_text(self, n: int) -> None:
        self.text -= n
        if self.text < 0:
            raise AnswerTooLarge(
                f"the answer would hold more than {self.text_limit} bytes of text "
                "(SMARTCITY_STA_MAX_ANSWER_BYTES); ask for fewer entities with $top or "
                "$filter"
            )

    def refuse(self) -> NoReturn:
        raise AnswerTooLarge(
            f"the answer would hold more than {self.limit} entities "
            "(SMARTCITY_STA_MAX_ENTITIES); ask for fewer with $top, $filter or a $top "
            "inside $expand"
        )


_current: ContextVar[Budget | None] = ContextVar("sta_budget", default=None)


@contextmanager
def scope() -> Iterator[Budget]:
    """The request's budget: a new one, or the enclosing batch's."""
    found = _current.get()
    if found is not None:
        yield found
        return
    limit = config.get("STA_MAX_ENTITIES")
    text = config.get("STA_MAX_ANSWER_BYTES")
    budget = Budget(limit, limit, text, text)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
        budget.release()


def spend(n: int) -> None:
    """Count ``n`` fetched entities against the request's budget (none outside a request)."""
    budget = _current.get()
    if budget is not None:
        budget.spend(n)


def spend_text(n: int) -> None:
    """Count ``n`` characters of text read from the store (none outside a request)."""
    budget = _current.get()
    if budget is not None:
        budget.spend_text(n)


def counting() -> bool:
    return _current.get() is not None


def refuse() -> NoReturn:
    """AnswerTooLarge: more would be read than the request's budget has left."""
    budget = _current.get()
    assert budget is not None
    budget.refuse()


def left() -> int | None:
    """How many entities the request may still fetch (an expansion is about to fetch up to
    that many, so the answer counts as large from here); None outside a request."""
    budget = _current.get()
    if budget is None:
        return None
    if budget.entities > 0:
        budget.grow()
    return max(budget.entities, 0)


def max_expand_depth() -> int:
    return int(config.get("STA_MAX_EXPAND_DEPTH"))
