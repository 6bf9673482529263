"""Domain events: what changed, announced after the transaction that changed it commits.

An event's type is qualified by its domain, ``"<domain>.<entity>"`` (``"sensors.Observation"``),
so the kernel knows no domain's entities and two domains' names cannot meet.

Subscribers (the MQTT bridge, live dashboards, alerting) register with :func:`subscribe`
for one event at a time, or with :func:`subscribe_batches` for the ids of the same change
at once (a bulk insert of thousands of observations is one call, not thousands); a failing
subscriber is logged and never breaks the write that emitted the event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

log = logging.getLogger("smartcity.events")


@dataclass(frozen=True)
class EntityChanged:
    type: str  # "<domain>.<entity>", e.g. "sensors.Observation"
    pk: int
    action: str  # "create" | "update" | "delete"

    @property
    def domain(self) -> str:
        return self.type.partition(".")[0]

    @property
    def entity(self) -> str:
        return self.type.partition(".")[2]


def _qualified(type_: str) -> str:
    if "." not in type_:
        raise ValueError(f"an event type is '<domain>.<entity>', not {type_!r}")
    return type_


Subscriber = Callable[[EntityChanged], None]
BatchSubscriber = Callable[[str, list[int], str], None]  # (type, pks, action)
_subscribers: list[Subscriber] = []
_batch_subscribers: list[BatchSubscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    _join(_subscribers, subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    _leave(_subscribers, subscriber)


def subscribe_batches(subscriber: BatchSubscriber) -> None:
    _join(_batch_subscribers, subscriber)


def unsubscribe_batches(subscriber: BatchSubscriber) -> None:
    _leave(_batch_subscribers, subscriber)


def _join(members: list[Any], subscriber: Any) -> None:
    if subscriber not in members:
        members.append(subscriber)


def _leave(members: list[Any], subscriber: Any) -> None:
    if subscriber in members:
        members.remove(subscriber)


def _deliver_batch(type_: str, pks: list[int], action: str) -> None:
    for subscriber in list(_batch_subscribers):
        try:
            subscriber(type_, pks, action)
        except Exception:
            log.exception(
                "event subscriber %r failed on %d %s %s", subscriber, len(pks), type_, action
            )


def has_subscribers() -> bool:
    """Lets bulk writers skip building events nobody receives."""
    return bool(_subscribers or _batch_subscribers)


def emit_after_commit(event: EntityChanged) -> None:
    _qualified(event.type)
    if _subscribers or _batch_subscribers:
        transaction.on_commit(lambda: _deliver_many(event.type, [event.pk], event.action))


def emit_many_after_commit(type_: str, pks: Iterable[int], action: str) -> None:
    """The same change of many entities (a bulk insert): one commit hook for them all."""
    _qualified(type_)
    if _subscribers or _batch_subscribers:
        changed = list(pks)
        transaction.on_commit(lambda: _deliver_many(type_, changed, action))


def _deliver_many(type_: str, pks: list[int], action: str) -> None:
    """Each subscriber of single events gets one per entity, each batch subscriber the ids
    in one call."""
    singles = list(_subscribers)
    for pk in pks if singles else ():
        event = EntityChanged(type_, pk, action)
        for subscriber in singles:
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", subscriber, event)
    if _batch_subscribers:
        _deliver_batch(type_, pks, action)
