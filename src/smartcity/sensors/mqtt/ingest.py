"""Many MQTT messages written as one bulk insert.

Devices publish one small Observation per message, all day: ``{"result": 21.5,
"phenomenonTime": "..."}`` to ``v1.1/Datastreams(n)/Observations``, or with a
``"Datastream": {"@iot.id": n}`` link to ``v1.1/Observations``. The bridge hands the
messages that queued up meanwhile to :func:`create_common`, which groups those of that
common shape by stream, builds each group as CreateObservations does (the column-at-a-time
build of ``ingest_columns``) and writes all groups together in a savepoint of the bridge's
transaction: one id range, one COPY (or ``executemany``) for all. Should the store refuse
that, each group is tried alone, and a failing one goes back. Every other message, and
every message of a group that does not build (an unknown stream, a feature still to be
generated from the Thing's Location, a malformed value), is answered back: the bridge then
creates it alone, and the general path names any error. So both accept and refuse
exactly the same messages.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence, Set
from typing import Any

import orjson
from django.db import DatabaseError, transaction

from smartcity.core.payloads import NESTS
from smartcity.sensors.entities import valid_id
from smartcity.sensors.ingest import observation_post
from smartcity.sensors.ingest.columns import build as build_columns
from smartcity.sensors.ingest.groups import Group, insert_groups
from smartcity.sensors.models import Datastream
from smartcity.sensors.mqtt import topics
from smartcity.sensors.sta import paths

# the members of a message of the common shape -> the components, in a group's row order
_SHAPES = {
    frozenset(shape): shape
    for shape in (("phenomenonTime", "result"), ("phenomenonTime", "result", "resultTime"))
}


def create_common(messages: Sequence[Any], decoded: dict[int, Any] | None = None) -> list[Any]:
    """Write the messages of the common shape (inside the caller's transaction) and
    return the others, in their order, for the caller to create one at a time. Each body
    decoded here is left in ``decoded`` by ``id(message)``, so that the caller does not
    decode it again."""
    groups: dict[tuple[int, tuple[str, ...]], list[tuple[Any, list[Any]]]] = {}
    others: list[Any] = []
    for message in messages:
        found = _common(message, decoded)
        if found is None:
            others.append(message)
        else:
            stream, components, row = found
            groups.setdefault((stream, components), []).append((message, row))
    built: list[tuple[Group, list[Any]]] = []
    features = observation_post.generated_features(sorted({stream for stream, _ in groups}))
    for (stream_id, components), members in groups.items():
        feature = features.get(stream_id)
        group = None
        if feature is not None:  # else unknown stream, or its feature is to be generated
            group = _build(stream_id, feature, list(components), [row for _, row in members])
        if group is None:
            others.extend(message for message, _ in members)
        else:
            built.append((group, [message for message, _ in members]))
    if built:
        try:
            with transaction.atomic():  # all streams' groups at once: one id range, one COPY
                insert_groups([group for group, _ in built])
        except DatabaseError:
            for group, members in built:  # which one? each alone; a failing one goes back
                try:
                    with transaction.atomic():
                        insert_groups([group])
                except DatabaseError:
                    others.extend(members)
    if len(others) > 1:  # keep the arrival order for the one-at-a-time creates
        order = {id(message): i for i, message in enumerate(messages)}
        others.sort(key=lambda message: order[id(message)])
    return others


@functools.lru_cache(maxsize=8192)
def _target(topic: str) -> int | None:
    """What a topic creates in: the Datastream's id for its Observations, 0 for the
    Observations collection (the stream is named in the body), None otherwise."""
    path = topics.create_path(topic)
    if path is None:
        return None
    if path == "/Observations":
        return 0
    parent = paths.stream_observations(path)
    return parent.pk if parent is not None and parent.entity.name == "Datastream" else None


def _common(
    message: Any, decoded: dict[int, Any] | None
) -> tuple[int, tuple[str, ...], list[Any]] | None:
    """(stream id, components, row) of a message in the common shape, else None."""
    target = _target(message.topic)
    if target is None:
        return None
    try:
        payload = orjson.loads(message.payload)
    except orjson.JSONDecodeError:
        return None
    if decoded is not None:
        decoded[id(message)] = payload
    if type(payload) is not dict:
        return None
    members: Set[str] = payload.keys()
    if target == 0:
        link = payload.get("Datastream")
        pk = valid_id(link.get("@iot.id")) if type(link) is dict and len(link) == 1 else None
        members = members - {"Datastream"}
    else:
        pk = target
    components = _SHAPES.get(frozenset(members))
    if components is not None and any(NESTS(type(payload[name])) for name in components):
        return None  # a result that is an object or array: checked on the general path
    if pk is None or components is None:
        return None
    return pk, components, [payload[name] for name in components]


def _build(
    stream_id: int, feature: tuple[int, Any], components: list[str], rows: list[list[Any]]
) -> Group | None:
    """One stream's rows as a group to insert; None leaves them to the general path."""
    feature_id, bbox = feature
    columns = build_columns(stream_id, False, components, feature_id, rows)
    if columns is None or columns.extent is None:
        return None
    columns.extent.bbox = bbox
    return Group((Datastream, stream_id), columns, bbox_known=True)
