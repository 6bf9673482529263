"""MQTT topics of the SensorThings MQTT extension (OGC 18-088 clause 14), as plain
functions: which topics create Observations, and which topics announce a change."""

from __future__ import annotations

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


def change_topics(entity: EntityType, pk: int, parents: dict[str, Any]) -> list[str]:
    """Where a created or updated entity is announced (req/receive-updates-via-mqtt): its
    entity set, the entity itself, and each parent's navigation collection of it, e.g.
    ``v1.1/Datastreams(3)/Observations``. ``parents`` maps a to-one navigation name
    (``Datastream``) to the parent's id."""
    topics = [f"{VERSION}/{entity.plural}", f"{VERSION}/{entity.plural}({pk})"]
    for name, parent_pk in parents.items():
        nav = entity.navigations.get(name)
        if nav is None or nav.many or parent_pk is None:
            continue
        parent = BY_NAME[nav.target]
        back = next(
            (n for n in parent.navigations.values() if n.target == entity.name and n.many), None
        )
        if back is not None:
            topics.append(f"{VERSION}/{parent.plural}({parent_pk})/{back.name}")
    return topics
