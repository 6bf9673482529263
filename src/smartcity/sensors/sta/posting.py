"""What a POST of one entity to a collection creates: the one write path that the HTTP
handler (``api.handle``) and the MQTT bridge (a message on a create topic) share, so both
accept and refuse exactly the same bodies and neither imports the other.

An Observation of the devices' common shape below a stream (or with a link to one) takes
the lean write (``observation_post``); everything else the general deep insert
(``creation.create``), which names any error as an ApiError.
"""

from __future__ import annotations

from typing import Any

from smartcity.core.errors import MethodNotAllowed, NotFound
from smartcity.sensors import creation
from smartcity.sensors.entities import OBSERVATION, EntityType
from smartcity.sensors.ingest import observation_post
from smartcity.sensors.sta import paths
from smartcity.sensors.sta.rows import Rows, from_instance


def create_at(
    path: str, payload: Any, target: paths.Target | None = None
) -> tuple[EntityType, Rows]:
    """Create ``payload`` in the collection at ``path`` (``target`` if resolved already);
    the entity type and the new row."""
    stream = paths.stream_observations(path)
    if stream is not None or path.strip("/") == "Observations":
        rows = observation_post.try_create(payload, stream)
        if rows is not None:
            return OBSERVATION, rows
    if target is None:
        target = paths.resolve(path)
    check_collection(target)
    assert target.entity is not None
    if target.parent_unverified and not paths.parent_exists(target):
        assert target.parent is not None
        raise NotFound(f"no {target.parent.entity.name} with id {target.parent.pk}", where="path")
    instance = creation.create(target.entity, payload, target.parent)
    return target.entity, from_instance(target.entity, instance)


def check_collection(target: paths.Target) -> None:
    """A POST creates in a collection, nowhere else."""
    if target.kind != "collection" or target.ref:
        raise MethodNotAllowed(
            "POST creates entities in a collection, e.g. /Things or /Datastreams(1)/Observations",
            where="path",
        )
