"""Updating (PATCH, PUT, JSON-Patch) and deleting entities (OGC 18-088 clauses 10.3, 10.4).

PATCH merges; PUT replaces every updatable property (omitted optional ones become null);
JSON-Patch (RFC 6902) applies its operations to the entity's representation and stores
the outcome like a PUT. Navigation properties may carry links only: for single-valued
ones a link replaces the relation, for collections it adds to it.
"""

from __future__ import annotations

from typing import Any

import jsonpatch
from django.db import transaction

from smartcity.core import events
from smartcity.core.errors import BadRequest
from smartcity.sensors import creation
from smartcity.sensors.entities import EntityType, Kind, entity
from smartcity.sensors.ingest import observations
from smartcity.sensors.models import (
    Datastream,
    HistoricalLocation,
    MultiDatastream,
    Observation,
)
from smartcity.sensors.sta.serialize import property_value
from smartcity.sensors.values import columns_for

_STREAMS = {"Datastream": Datastream, "MultiDatastream": MultiDatastream}


def update(entity_type: EntityType, pk: int, payload: Any, *, replace: bool) -> Any:
    """PATCH (``replace`` False) or PUT (``replace`` True) the entity ``pk``."""
    if not isinstance(payload, dict):
        raise BadRequest(f"the update of a {entity_type.name} must be a JSON object", where="/")
    with transaction.atomic():
        instance = creation.get_one(entity_type, pk)
        _check_keys(entity_type, payload)
        columns = _columns(entity_type, payload, replace=replace)
        for field, value in columns.items():
            setattr(instance, field, value)
        links_changed = _apply_links(entity_type, instance, payload)
        _validate_observation(entity_type, instance)
        instance.save()
        _after_update(entity_type, instance, links_changed)
    events.emit_after_commit(events.EntityChanged(f"sensors.{entity_type.name}", pk, "update"))
    return instance


def json_patch(entity_type: EntityType, pk: int, operations: Any) -> Any:
    """Apply RFC 6902 operations to the entity's own properties, then store as a PUT."""
    if not isinstance(operations, list):
        raise BadRequest("a JSON-Patch body must be an array of operations", where="/")
    instance = creation.get_one(entity_type, pk)
    document = {
        name: property_value(instance, prop)
        for name, prop in entity_type.properties.items()
        if name != "id" and not prop.read_only
    }
    try:
        patched = jsonpatch.JsonPatch(operations).apply(document)
    except (
        jsonpatch.JsonPatchException,
        jsonpatch.JsonPointerException,
        TypeError,
        KeyError,
        ValueError,
    ) as error:
        raise BadRequest(f"the JSON-Patch cannot be applied: {error}", where="/") from None
    if not isinstance(patched, dict):
        raise BadRequest("the JSON-Patch must leave a JSON object", where="/")
    return update(entity_type, pk, patched, replace=True)


def _check_keys(entity_type: EntityType, payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if key.startswith("@iot.") or "@iot." in key:
            continue
        nav = entity_type.navigation(key)
        if nav is None and entity_type.property(key) is None:
            raise BadRequest(f"{entity_type.name} has no property {key!r}", where=f"/{key}")
        if nav is not None:
            links = value if isinstance(value, list) else [value]
            if nav.many and not isinstance(value, list):
                raise BadRequest(f"{key} must be an array of links", where=f"/{key}")
            for index, link in enumerate(links):
                if not isinstance(link, dict) or set(link) != {"@iot.id"}:
                    raise BadRequest(
                        'an update may only link entities ({"@iot.id": n}), not create them inline',
                        where=f"/{key}/{index}",
                    )


def _columns(entity_type: EntityType, payload: dict[str, Any], *, replace: bool) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name, prop in entity_type.properties.items():
        if name == "id" or prop.read_only:
            continue  # ignored, as the standard asks for non-updatable properties
        where = f"/{name}"
        if name not in payload:
            if replace and prop.required:
                raise BadRequest(
                    f"PUT replaces the whole {entity_type.name}: {name} is mandatory", where=where
                )
            if replace and not (prop.kind is Kind.TIME and entity_type.name == "Observation"):
                columns.update(columns_for(entity_type, prop, None, where))
            continue
        if payload[name] is None and prop.required and prop.kind is not Kind.RESULT:
            raise BadRequest(f"{entity_type.name}.{name} must not be null", where=where)
        columns.update(columns_for(entity_type, prop, payload[name], where))
    return columns


def _apply_links(entity_type: EntityType, instance: Any, payload: dict[str, Any]) -> bool:
    changed = False
    for name, nav in entity_type.navigations.items():
        if name not in payload:
            continue
        target = entity(nav.target)
        if nav.many:
            members = [
                creation.linked(target, link["@iot.id"], f"/{name}/{i}/@iot.id")
                for i, link in enumerate(payload[name])
            ]
            field = entity_type.model._meta.get_field(nav.orm)
            if not field.many_to_many:
                raise BadRequest(
                    f"{name} of a {entity_type.name} cannot be relinked here; "
                    f"update the {nav.target} instead",
                    where=f"/{name}",
                )
            getattr(instance, nav.orm).add(*members)
        else:
            setattr(
                instance,
                nav.orm,
                creation.linked(target, payload[name]["@iot.id"], f"/{name}/@iot.id"),
            )
        changed = True
    return changed


def _validate_observation(entity_type: EntityType, instance: Any) -> None:
    if entity_type.name == "Observation" and instance.multi_datastream_id is not None:
        observations.check_multi_result(instance.multi_datastream, instance.result, "")


def _after_update(entity_type: EntityType, instance: Any, links_changed: bool) -> None:
    if entity_type.name == "Observation":
        _recompute_streams_of([instance])
    elif entity_type.name in ("Thing", "Location") and links_changed:
        creation.record_location_change(entity_type, instance)
    elif entity_type.name == "HistoricalLocation":
        creation.after_historical_location(instance)


def _recompute_streams_of(rows: list[Observation]) -> None:
    for ds in {r.datastream_id for r in rows} - {None}:
        observations.recompute_extents(Datastream, ds)  # type: ignore[arg-type]
    for mds in {r.multi_datastream_id for r in rows} - {None}:
        observations.recompute_extents(MultiDatastream, mds)  # type: ignore[arg-type]


def delete(entity_type: EntityType, pk: int) -> None:
    """Delete with the cascades of OGC 18-088 table 25 (integrity when deleting)."""
    with transaction.atomic():
        instance = creation.get_one(entity_type, pk)
        touched = _streams_touched(entity_type, instance)
        if entity_type.name == "Location":
            HistoricalLocation.objects.filter(locations=instance).delete()
        if entity_type.name == "ObservedProperty":
            MultiDatastream.objects.filter(observed_properties=instance).delete()
        instance.delete()
        for model, stream_pk in touched:
            observations.recompute_extents(model, stream_pk)
    events.emit_after_commit(events.EntityChanged(f"sensors.{entity_type.name}", pk, "delete"))


def _streams_touched(entity_type: EntityType, instance: Any) -> set[tuple[Any, int]]:
    """Streams whose extents change because observations disappear with this entity."""
    if entity_type.name == "Observation":
        rows = Observation.objects.filter(pk=instance.pk)
    elif entity_type.name == "FeatureOfInterest":
        rows = Observation.objects.filter(feature_of_interest=instance)
    else:
        return set()
    touched: set[tuple[Any, int]] = set()
    for ds, mds in rows.values_list("datastream_id", "multi_datastream_id").distinct():
        touched.add((Datastream, ds) if ds is not None else (MultiDatastream, mds))
    return touched
