"""MQTT topics of the SensorThings MQTT extension (OGC 18-088 clause 14), as plain
functions: which topics create Observations, and which topics announce a change."""

from __future__ import annotations

import functools
import re
from typing import Any

from smartcity.sensors.entities import BY_NAME, EntityType

VERSION = "v1.1"
# Devices of SensorThings 1.0 publish to v1.0/...; the create topics are the same in both
# versions, so both are accepted. Announcements go to v1.1 topics only.
VERSIONS = ("v1.1", "v1.0")
# req/create-observations-via-mqtt/create-observations: the Observations collection or a
# navigation to the Observations of a Datastream, MultiDatastream or FeatureOfInterest
_CREATE = re.compile(
    r"^v1\.[01]/((?:(?:Datastreams|MultiDatastreams|FeaturesOfInterest)\([0-9]+\)/)?"
    r"Observations)$"
)
CREATE_SUBSCRIPTIONS = tuple(
    f"{version}/{topic}" for version in VERSIONS for topic in ("Observations", "+/Observations")
)


def create_path(topic: str) -> str | None:
    """The resource path an Observation published to ``topic`` is created in, or None
    when ``topic`` does not create anything."""
    found = _CREATE.match(topic)
    return "/" + found.group(1) if found else None


def change_topics(
    entity: EntityType, pk: int, parents: dict[str, Any], *, created: bool = False
) -> list[str]:
    """Where a created or updated entity is announced (req/receive-updates-via-mqtt, clause
    14.2.2): its entity set and each parent's navigation collection of it, e.g.
    ``v1.1/Datastreams(3)/Observations``, on create and update; the entity itself only on
    update ("when a property of the subscribed entity is updated": nobody can have
    subscribed to an entity before it exists). ``parents`` maps a to-one navigation name
    (``Datastream``) to the parent's id."""
    entity_set, templates = _templates(entity.name)
    topics = [entity_set] if created else [entity_set, f"{entity_set}({pk})"]
    for name, prefix, suffix in templates:
        parent_pk = parents.get(name)
        if parent_pk is not None:
            topics.append(f"{prefix}{parent_pk}{suffix}")
    return topics


@functools.cache
def _templates(entity_name: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """An entity type's set topic, and (to-one navigation, prefix, suffix) of its parents'
    collection topics: ("Datastream", "v1.1/Datastreams(", ")/Observations"). Built once:
    the bridge asks for every observation."""
    entity = BY_NAME[entity_name]
    templates = []
    for name in entity.navigations:
        collection = parent_collection(entity_name, name)
        if collection is not None:
            templates.append((name, f"{VERSION}/{collection[0]}(", f")/{collection[1]}"))
    return f"{VERSION}/{entity.plural}", tuple(templates)


@functools.cache
def parent_collection(entity_name: str, navigation: str) -> tuple[str, str] | None:
    """(parent entity set, its navigation back to ``entity_name``) for a to-one navigation,
    e.g. ("Datastreams", "Observations") for an Observation's Datastream."""
    nav = BY_NAME[entity_name].navigations.get(navigation)
    if nav is None or nav.many:
        return None
    parent = BY_NAME[nav.target]
    back = next(
        (n for n in parent.navigations.values() if n.target == entity_name and n.many), None
    )
    return None if back is None else (parent.plural, back.name)
