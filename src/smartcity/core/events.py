"""Domain events: what changed, announced after the transaction that changed it commits.

Subscribers (the MQTT bridge, live dashboards, alerting) register with :func:`subscribe`;
a failing subscriber is logged and never breaks the write that emitted the event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

log = logging.getLogger("smartcity.events")


@dataclass(frozen=True)
class EntityChanged:
    entity: str  # SensorThings entity type name, e.g. "Observation"
    pk: int
    action: str  # "create" | "update" | "delete"


Subscriber = Callable[[EntityChanged], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber in _subscribers:
        _subscribers.remove(subscriber)


def _deliver(event: EntityChanged) -> None:
    for subscriber in list(_subscribers):
        try:
            subscriber(event)
        except Exception:
            log.exception("event subscriber %r failed on %s", subscriber, event)


def has_subscribers() -> bool:
    """Lets bulk writers skip building events nobody receives."""
    return bool(_subscribers)


def emit_after_commit(event: EntityChanged) -> None:
    if _subscribers:
        transaction.on_commit(lambda: _deliver(event))


def emit_many_after_commit(entity: str, pks: Iterable[int], action: str) -> None:
    """The same change of many entities (a bulk insert): one commit hook for them all."""
    if _subscribers:
        changed = [EntityChanged(entity, pk, action) for pk in pks]
        transaction.on_commit(lambda: _deliver_all(changed))


def _deliver_all(changed: list[EntityChanged]) -> None:
    for event in changed:
        _deliver(event)
