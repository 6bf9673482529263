"""Receive-updates topics that exist only when somebody subscribed to them (OGC 18-088
14.2): an entity's property (``v1.1/Things(1)/name``, 14.2.3), ``$select`` on a collection
or entity (``v1.1/Datastreams(1)/Observations?$select=result,phenomenonTime``, 14.2.4), and
any resource path other than those the bridge announces to anyway (the entity sets, the
entities, and the collections below a to-one parent such as
``v1.1/Datastreams(1)/Observations``): ``v1.1/Things(1)/Locations``,
``v1.1/Datastreams(1)/Thing``, ``v1.1/Datastreams(1)/Thing/name``.

MQTT does not tell a publisher who subscribed to what, but Mosquitto publishes its log,
subscribe and unsubscribe lines included, to ``$SYS/broker/log/M/subscribe`` and
``.../unsubscribe`` when configured with ``log_dest topic`` (``smartcity mqtt
broker-config`` does so). The bridge subscribes to those lines on its own connection and
hands them to its :class:`Tracker`; its announcer, which reads every changed entity once
anyway, adds what the tracked topics are owed (:func:`owed`) to what it publishes: those
derived from an announced topic by matching it, the others ("general") by resolving their
path in the store and asking which of the changed entities it holds, one query per topic
and batch of changes.

The tracked topics are kept in the store (model TrackedTopic): every process follows the
same log and writes the same rows, and a process that starts reads them first, so it serves
the subscriptions made before it started.

Limits: a subscription made while no server process was running is unknown until it is
made again; a client that disconnects without unsubscribing stays listed (the broker logs
no unsubscribe then); at most :data:`LIMIT` topics are tracked, the oldest dropped first.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import IntegrityError, close_old_connections, transaction

from smartcity.core.errors import ApiError
from smartcity.sensors.entities import BY_NAME, EntityType
from smartcity.sensors.models import TrackedTopic
from smartcity.sensors.mqtt import topics
from smartcity.sensors.mqtt.bodies import representations
from smartcity.sensors.sta import paths

LOG_TOPICS = ("$SYS/broker/log/M/subscribe", "$SYS/broker/log/M/unsubscribe")
LIMIT = 10_000
_UNKNOWN = object()
# "<time>: <client id> <qos> <topic>" (subscribe) or "<time>: <client id> <topic>"
_LINE = re.compile(r"^\d+: (?P<client>.*?) (?:[0-2] )?(?P<topic>v1\.1/.+)$")
_SELECT = re.compile(r"^(?P<base>v1\.1/[^?]+)\?\$select=(?P<fields>[A-Za-z@.]+(?:,[A-Za-z@.]+)*)$")
_SEGMENT = re.compile(r"^(?P<name>[A-Za-z]+)(?:\((?P<key>[0-9]+)\))?$")
_PLURALS = {entity.plural: entity for entity in BY_NAME.values()}


class LogLine(Protocol):
    """A message of the broker's log, as an MQTT client hands it over."""

    @property
    def topic(self) -> str: ...

    @property
    def payload(self) -> bytes: ...


@dataclass(frozen=True)
class Wanted:
    """A subscribed topic: the resource it is about, and what of it the messages carry."""

    topic: str
    base: str  # the topic without its $select, e.g. v1.1/Things(1)/Locations
    fields: tuple[str, ...]  # the members sent; () for the whole representation
    kind: str  # "collection" (creations and updates), "entity" (updates), "property"
    entity: str  # the entity type the messages are about
    general: bool  # not derived from an announced topic: its members are looked up

    @property
    def single(self) -> bool:
        """A property topic: ``{name: value}``, sent when the value changes."""
        return self.kind == "property"

    @property
    def path(self) -> str:
        """The resource path of :attr:`base`, for the lookup of a general topic."""
        return self.base.removeprefix(f"{topics.VERSION}/")

    @property
    def announced_base(self) -> str:
        """For a derived topic, the announced topic it is matched against: a property
        topic's entity (``v1.1/Things(1)`` for ``v1.1/Things(1)/name``)."""
        return self.base.rsplit("/", 1)[0] if self.single else self.base


def _shape(path: str) -> tuple[str, EntityType, str | None] | None:
    """(kind, entity type, property) of a resource path, from the entity model alone, or
    None when it is no path a subscription can follow (``$ref``, a JSON member, ...)."""
    segments = path.split("/")
    first = _SEGMENT.match(segments[0])
    if first is None or first["name"] not in _PLURALS:
        return None
    current = _PLURALS[first["name"]]
    kind = "collection" if first["key"] is None else "entity"
    for position, segment in enumerate(segments[1:], start=1):
        found = _SEGMENT.match(segment)
        if found is None or kind != "entity":
            return None
        nav = current.navigations.get(found["name"])
        if nav is not None:
            current = BY_NAME[nav.target]
            if not nav.many and found["key"] is not None:
                return None
            kind = "collection" if nav.many and found["key"] is None else "entity"
            continue
        last = position == len(segments) - 1
        if found["key"] is None and last and found["name"] in current.properties:
            return ("property", current, found["name"]) if found["name"] != "id" else None
        return None
    return kind, current, None


def _announced(path: str, kind: str) -> bool:
    """Whether the bridge announces to this path anyway (topics.change_topics): an entity
    set, an entity, or a to-one parent's collection (``Datastreams(1)/Observations``); a
    property of an entity so addressed is derived from the entity's topic."""
    segments = path.split("/")
    if kind == "property":
        return len(segments) == 2  # Set(id)/property
    if len(segments) == 1:
        return True
    if len(segments) != 2 or kind == "entity":
        return False
    parent = _PLURALS[segments[0].split("(", 1)[0]]
    nav = parent.navigations[segments[1]]
    child = BY_NAME[nav.target]
    return any(
        topics.parent_collection(child.name, name) == (parent.plural, nav.name)
        for name, back in child.navigations.items()
        if not back.many
    )


def parse(topic: str) -> Wanted | None:
    """What ``topic`` asks for, or None when the bridge's announcements serve it as it is
    (or it is no SensorThings topic at all)."""
    fields: tuple[str, ...] = ()
    base = topic
    if found := _SELECT.match(topic):
        base = found["base"]
        fields = tuple(dict.fromkeys(found["fields"].split(",")))
    elif "?" in topic:
        return None
    if not base.startswith(f"{topics.VERSION}/"):
        return None
    path = base.removeprefix(f"{topics.VERSION}/")
    shape = _shape(path)
    if shape is None:
        return None
    kind, entity, prop = shape
    if kind == "property":
        if fields:
            return None
        fields = (prop,)  # type: ignore[assignment]
    announced = _announced(path, kind)
    if announced and kind != "property" and not fields:
        return None
    return Wanted(topic, base, fields, kind, entity.name, general=not announced)


def project(body: dict[str, Any], wanted: Wanted) -> dict[str, Any]:
    if not wanted.fields:
        return body
    keys = ("@iot.id" if name in ("id", "@iot.id") else name for name in wanted.fields)
    return {key: body[key] for key in keys if key in body}


class Tracker:
    """The subscribed topics the bridge's announcements do not serve, from the broker's
    log lines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._topics: OrderedDict[str, set[str]] = OrderedDict()  # topic -> client ids
        self._wanted: dict[str, Wanted] = {}
        self._by_base: dict[str, dict[str, Wanted]] = {}  # derived, by announced topic
        self._general: dict[str, dict[str, Wanted]] = {}  # general, by entity type
        self._entities: Counter[str] = Counter()  # entity types the topics are about
        self._values: dict[str, Any] = {}  # property topic -> its last value

    def __bool__(self) -> bool:
        return bool(self._topics)

    def on_log(self, message: LogLine) -> dict[str, set[str]]:
        """Follow one log line; the topics whose clients changed, with their clients now
        (none: no longer tracked)."""
        found = _LINE.match(bytes(message.payload).decode("utf-8", "replace"))
        wanted = parse(found["topic"]) if found else None
        if found is None or wanted is None:
            return {}
        with self._lock:
            if message.topic.endswith("/unsubscribe"):
                return self._remove(wanted, found["client"])
            return self._add(wanted, found["client"])

    def load(self, known: list[tuple[str, list[str]]]) -> None:
        """Take the topics kept in the store, oldest first."""
        with self._lock:
            for topic, clients in known:
                wanted = parse(topic)
                if wanted is not None:
                    for client in clients:
                        self._add(wanted, client)

    def _add(self, wanted: Wanted, client: str) -> dict[str, set[str]]:
        self._topics.setdefault(wanted.topic, set()).add(client)
        self._topics.move_to_end(wanted.topic)
        if wanted.topic not in self._wanted:
            self._wanted[wanted.topic] = wanted
            self._entities[wanted.entity] += 1
            if wanted.general:
                self._general.setdefault(wanted.entity, {})[wanted.topic] = wanted
            else:
                self._by_base.setdefault(wanted.announced_base, {})[wanted.topic] = wanted
        changed = {wanted.topic: set(self._topics[wanted.topic])}
        while len(self._topics) > LIMIT:
            oldest, _ = self._topics.popitem(last=False)
            self._forget(oldest)
            changed[oldest] = set()
        return changed

    def _remove(self, wanted: Wanted, client: str) -> dict[str, set[str]]:
        clients = self._topics.get(wanted.topic)
        if clients is None or client not in clients:
            return {}
        clients.discard(client)
        if not clients:
            del self._topics[wanted.topic]
            self._forget(wanted.topic)
        return {wanted.topic: set(clients)}

    def _forget(self, topic: str) -> None:
        wanted = self._wanted.pop(topic, None)
        if wanted is None:
            return
        self._values.pop(topic, None)
        self._entities[wanted.entity] -= 1
        group = self._general if wanted.general else self._by_base
        key = wanted.entity if wanted.general else wanted.announced_base
        group.get(key, {}).pop(topic, None)

    def concerns(self, entity: EntityType) -> bool:
        """Whether a change of this entity type may owe a tracked topic a message (cheap:
        the writer asks it for every change)."""
        return self._entities[entity.name] > 0

    def messages(
        self,
        entity: EntityType,
        pk: int,
        parents: dict[str, Any],
        body: dict[str, Any],
        action: str,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The (topic, payload) pairs a change of this entity owes the derived topics."""
        found: list[tuple[str, dict[str, Any]]] = []
        with self._lock:
            for base in topics.change_topics(entity, pk, parents):
                for wanted in self._by_base.get(base, {}).values():
                    payload = self.payload(wanted, body, action)
                    if payload is not None:
                        found.append((wanted.topic, payload))
        return found

    def general(self, entity: EntityType) -> list[Wanted]:
        """The general topics about this entity type, whose members are looked up."""
        with self._lock:
            return list(self._general.get(entity.name, {}).values())

    def payload(self, wanted: Wanted, body: dict[str, Any], action: str) -> dict[str, Any] | None:
        """What a change of an entity the topic holds owes it, or None: a collection hears
        of creations and updates, an entity of updates (14.2.2), a property of a changed
        value only (14.2.3: "when the value of the subscribed property is changed")."""
        if wanted.kind != "collection" and action != "update":
            return None
        payload = project(body, wanted)
        if wanted.single:
            if self._values.get(wanted.topic, _UNKNOWN) == payload:
                return None
            self._values[wanted.topic] = payload
        return payload

    def prime(self, topic: str, value: dict[str, Any]) -> None:
        """The value a property topic has now, so that only a change of it is sent."""
        with self._lock:
            if topic in self._topics:
                self._values[topic] = value

    def unprimed(self) -> list[Wanted]:
        """The tracked property topics whose value is not known yet."""
        with self._lock:
            return [
                wanted
                for wanted in self._wanted.values()
                if wanted.single and wanted.topic not in self._values
            ]


def load_kept(tracker: Tracker) -> None:
    """Give ``tracker`` the topics kept in the store, oldest first."""
    kept = TrackedTopic.objects.order_by("seen_at").values_list("topic", "clients")
    tracker.load(list(kept))


def keep(tracker: Tracker, changed: dict[str, set[str]], root_url: str) -> None:
    """After log lines changed these topics: write them to the store (every process
    writes the same rows) and read the present value of new property topics."""
    close_old_connections()
    for topic, clients in changed.items():
        if not clients:
            TrackedTopic.objects.filter(topic=topic).delete()
            continue
        try:
            with transaction.atomic():
                TrackedTopic.objects.update_or_create(
                    topic=topic, defaults={"clients": sorted(clients)}
                )
        except IntegrityError:  # another process created it a moment ago: the same row
            TrackedTopic.objects.filter(topic=topic).update(clients=sorted(clients))
    prime(tracker, root_url)


def prime(tracker: Tracker, root_url: str) -> None:
    """Read the present value of each property topic whose value is not known yet, so that
    only a change of it is sent."""
    for wanted in tracker.unprimed():
        target = _resolve(wanted.path.rsplit("/", 1)[0])
        pk = target.pk if target is not None else None
        if target is None or target.entity is None or pk is None:
            continue
        for _, body, _ in representations(target.entity, [pk], root_url):
            tracker.prime(wanted.topic, project(body, wanted))


def owed(
    tracker: Tracker,
    entity: EntityType,
    found: list[tuple[int, dict[str, Any], dict[str, Any]]],
    action: str,
) -> list[tuple[str, dict[str, Any]]]:
    """The (topic, payload) pairs the tracked topics are owed for these changed entities,
    as the bridge read them (mqtt.bodies.representations): the derived topics by name,
    the general ones by looking up which of the entities their resource holds."""
    messages: list[tuple[str, dict[str, Any]]] = []
    for pk, body, parents in found:
        messages += tracker.messages(entity, pk, parents, body, action)
    for wanted in tracker.general(entity):
        members = _members(wanted, [pk for pk, _, _ in found])
        for pk, body, _ in found:
            payload = tracker.payload(wanted, body, action) if pk in members else None
            if payload is not None:
                messages.append((wanted.topic, payload))
    return messages


def _resolve(path: str) -> paths.Target | None:
    try:
        return paths.resolve(path)
    except ApiError:  # nothing there (yet): the topic holds nothing
        return None


def _members(wanted: Wanted, pks: list[int]) -> set[int]:
    """Which of these entities the general topic's resource holds now."""
    target = _resolve(wanted.path.rsplit("/", 1)[0] if wanted.single else wanted.path)
    if target is None or target.queryset is None or not pks:
        return set()
    return set(target.queryset.filter(pk__in=pks).values_list("pk", flat=True))
