"""Receive-updates topics that exist only when somebody subscribed to them (OGC 18-088
14.2): an entity's property (``v1.1/Things(1)/name``) and ``$select`` on a collection or
entity (``v1.1/Datastreams(1)/Observations?$select=result,phenomenonTime``).

MQTT does not tell a publisher who subscribed to what, but Mosquitto publishes its log,
subscribe and unsubscribe lines included, to ``$SYS/broker/log/M/subscribe`` and
``.../unsubscribe`` when configured with ``log_dest topic`` (``smartcity mqtt
broker-config`` does so). The tracker follows those lines and, for each change, publishes
to exactly the subscribed topics that concern it.

Limits: subscriptions made before this process started are unknown until they are made
again, and a client that disconnects without unsubscribing stays listed (the broker logs no
unsubscribe then); at most :data:`LIMIT` topics are tracked, the oldest dropped first. A
property topic gets a message on every update of its entity, also when that property
kept its value (the change events do not say which properties changed).
"""

from __future__ import annotations

import logging
import os
import queue
import re
import socket
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from paho.mqtt import client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from smartcity.core import events
from smartcity.sensors.entities import BY_NAME, EntityType
from smartcity.sensors.mqtt import topics
from smartcity.sensors.mqtt.bridge import representations
from smartcity.sensors.rows import dumps

log = logging.getLogger("smartcity.mqtt")
LOG_TOPICS = ("$SYS/broker/log/M/subscribe", "$SYS/broker/log/M/unsubscribe")
LIMIT = 10_000
# "<time>: <client id> <qos> <topic>" (subscribe) or "<time>: <client id> <topic>"
_LINE = re.compile(r"^\d+: (?P<client>.*?) (?:[0-2] )?(?P<topic>v1\.1/.+)$")
_SELECT = re.compile(r"^(?P<base>v1\.1/[^?]+)\?\$select=(?P<fields>[A-Za-z@.]+(?:,[A-Za-z@.]+)*)$")
_PROPERTY = re.compile(r"^(?P<base>v1\.1/(?P<plural>[A-Za-z]+)\([0-9]+\))/(?P<name>[A-Za-z]+)$")
_PLURALS = {entity.plural: entity for entity in BY_NAME.values()}


@dataclass(frozen=True)
class Wanted:
    """A subscribed topic: the change topic it derives from, and what it keeps."""

    topic: str
    base: str
    fields: tuple[str, ...]
    single: bool  # a property topic: {name: value}, sent only for updates


def parse(topic: str) -> Wanted | None:
    """What ``topic`` asks for, or None when it is a plain (or no) SensorThings topic."""
    if found := _SELECT.match(topic):
        fields = tuple(dict.fromkeys(found["fields"].split(",")))
        return Wanted(topic, found["base"], fields, single=False)
    if (found := _PROPERTY.match(topic)) and found["plural"] in _PLURALS:
        entity = _PLURALS[found["plural"]]
        if found["name"] in entity.properties and found["name"] != "id":
            return Wanted(topic, found["base"], (found["name"],), single=True)
    return None


def _entity_set(base: str) -> str:
    """``v1.1/Datastreams(1)/Observations``: ``Observations``; ``v1.1/Things(1)``: ``Things``."""
    return base.rsplit("/", 1)[1].split("(", 1)[0]


def project(body: dict[str, Any], wanted: Wanted) -> dict[str, Any]:
    keys = ("@iot.id" if name in ("id", "@iot.id") else name for name in wanted.fields)
    return {key: body[key] for key in keys if key in body}


class Tracker:
    """The subscribed property and $select topics, from the broker's log lines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._topics: OrderedDict[str, set[str]] = OrderedDict()  # topic -> client ids
        self._by_base: dict[str, dict[str, Wanted]] = {}
        self._sets: Counter[str] = Counter()  # entity sets the tracked topics are about

    def __bool__(self) -> bool:
        return bool(self._topics)

    def on_log(self, message: mqtt.MQTTMessage) -> None:
        found = _LINE.match(bytes(message.payload).decode("utf-8", "replace"))
        wanted = parse(found["topic"]) if found else None
        if found is None or wanted is None:
            return
        with self._lock:
            if message.topic.endswith("/unsubscribe"):
                self._remove(wanted, found["client"])
            else:
                self._add(wanted, found["client"])

    def _add(self, wanted: Wanted, client: str) -> None:
        self._topics.setdefault(wanted.topic, set()).add(client)
        self._topics.move_to_end(wanted.topic)
        known = self._by_base.setdefault(wanted.base, {})
        if wanted.topic not in known:
            self._sets[_entity_set(wanted.base)] += 1
        known[wanted.topic] = wanted
        while len(self._topics) > LIMIT:
            oldest, _ = self._topics.popitem(last=False)
            self._forget(oldest)

    def _remove(self, wanted: Wanted, client: str) -> None:
        clients = self._topics.get(wanted.topic)
        if clients is None:
            return
        clients.discard(client)
        if not clients:
            del self._topics[wanted.topic]
            self._forget(wanted.topic)

    def _forget(self, topic: str) -> None:
        wanted = parse(topic)
        if wanted is None:
            return
        if self._by_base.get(wanted.base, {}).pop(topic, None) is not None:
            self._sets[_entity_set(wanted.base)] -= 1

    def concerns(self, entity: EntityType) -> bool:
        """Whether a change of this entity type may owe a tracked topic a message (cheap:
        the writer asks it for every change)."""
        return self._sets[entity.plural] > 0

    def messages(
        self,
        entity: EntityType,
        pk: int,
        parents: dict[str, Any],
        body: dict[str, Any],
        action: str,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The (topic, payload) pairs a change of this entity owes the tracked topics."""
        found: list[tuple[str, dict[str, Any]]] = []
        with self._lock:
            for base in topics.change_topics(entity, pk, parents):
                for wanted in self._by_base.get(base, {}).values():
                    if not (wanted.single and action != "update"):
                        found.append((wanted.topic, project(body, wanted)))
        return found


class Announcer:
    """Follows the broker's log with its own connection (the bridge's account) and sends
    each change to the tracked topics it concerns."""

    def __init__(self, url: str, *, root_url: str | None = None) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self.root_url = root_url or settings.SMARTCITY_PUBLIC_URL.rstrip("/") + "/sta/v1.1/"
        self.tracker = Tracker()
        client_id = f"smartcity-subs-{socket.gethostname()}-{os.getpid()}-{id(self):x}"
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
        )
        if parts.username:
            self.client.username_pw_set(parts.username, parts.password)
        if parts.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = log_refused_subscriptions
        self.client.on_message = lambda client, userdata, message: self.tracker.on_log(message)
        self.following = threading.Event()
        self._changes: queue.Queue[events.EntityChanged | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="smartcity-mqtt-subs", daemon=True)
        self._thread.start()
        events.subscribe(self._announce)
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        events.unsubscribe(self._announce)
        self._changes.put(None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            log.error("MQTT broker refused the subscription tracker: %s", reason)
            return
        client.subscribe([(topic, 0) for topic in LOG_TOPICS])
        self.following.set()

    def _announce(self, event: events.EntityChanged) -> None:
        """On the writer's thread: only the cheap check, the rest on this one's own."""
        entity = BY_NAME.get(event.entity)
        changed = event.action in ("create", "update")
        if entity is not None and changed and self.tracker.concerns(entity):
            self._changes.put(event)

    def _loop(self) -> None:
        try:
            while (event := self._changes.get()) is not None:
                try:
                    self._publish(event)
                except Exception:
                    log.exception("MQTT: %s not sent to the subscribed topics", event)
        finally:
            connection.close()  # this thread's own database connection

    def _publish(self, event: events.EntityChanged) -> None:
        entity = BY_NAME[event.entity]
        for pk, body, parents in representations(entity, [event.pk], self.root_url):
            for topic, payload in self.tracker.messages(entity, pk, parents, body, event.action):
                self.client.publish(topic, dumps(payload), qos=settings.SMARTCITY_MQTT_ANNOUNCE_QOS)


def from_settings() -> Announcer | None:
    """The tracker of a server process (a lifecycle service), None without a broker."""
    url = settings.SMARTCITY_MQTT_URL
    return Announcer(url) if url else None


def log_refused_subscriptions(
    client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any
) -> None:
    """A broker with device accounts refuses a subscription the platform's account may not
    make; without this nothing would be stored and nothing said."""
    refused = [reason for reason in reasons if reason.is_failure]
    if refused:
        log.error(
            "MQTT broker refused a subscription of the platform (%s): give its account the "
            "bridge's rights (smartcity mqtt sync)",
            refused[0],
        )
