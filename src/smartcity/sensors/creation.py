"""Creating SensorThings entities (OGC 18-088 clause 10.2), as plain functions that know
nothing of HTTP: a deep insert with everything nested in it, in one transaction, so a
create that fails anywhere writes nothing; and the automatic HistoricalLocations of
clause 10.2.1 that creates and updates share (``updates.py`` changes and deletes)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from smartcity.core import events
from smartcity.core.errors import BadRequest, NotFound
from smartcity.sensors.entities import EntityType, Kind, Navigation, entity, valid_id
from smartcity.sensors.ingest import observations
from smartcity.sensors.models import HistoricalLocation, MultiDatastream
from smartcity.sensors.sta.paths import ParentLink, reverse_lookup
from smartcity.sensors.values import columns_for

_IGNORED_SUFFIXES = ("@iot.navigationLink", "@iot.selfLink", "@iot.count", "@iot.nextLink")


def create(entity_type: EntityType, payload: Any, parent: ParentLink | None = None) -> Any:
    """Create an entity with everything nested in it (deep insert) and return it."""
    if isinstance(payload, dict) and "@iot.id" in payload:
        raise BadRequest(
            "@iot.id cannot be given when creating: the service assigns ids", where="/@iot.id"
        )
    with transaction.atomic():
        fixed: dict[str, Any] = {}
        if parent is not None:
            fixed = _fixed_from_parent(parent)
        instance = _create(entity_type, payload, "", fixed)
    return instance


def _fixed_from_parent(parent: ParentLink) -> dict[str, Any]:
    """The navigation property of the new entity that points back to ``parent``."""
    owner = parent.entity.objects().get(pk=parent.pk)
    target = entity(parent.navigation.target)
    for nav in target.navigations.values():
        if (
            nav.target == parent.entity.name
            and reverse_lookup(target, nav) == parent.navigation.orm
        ):
            return {nav.name: [owner] if nav.many else owner}
    raise BadRequest(f"cannot create {target.name} below {parent.entity.name}")


def _create(entity_type: EntityType, data: Any, pointer: str, fixed: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise BadRequest(f"a {entity_type.name} must be a JSON object", where=pointer or "/")
    _reject_unknown(entity_type, data, pointer)
    columns = _property_columns(entity_type, data, pointer, full=True)
    singles, multiples = _navigation_values(entity_type, data, pointer, fixed)
    for nav, value in singles.items():
        columns[nav.orm] = value
    _check_required_links(entity_type, singles, multiples, data, pointer)
    if entity_type.name == "Observation":
        return observations.create_one(columns, pointer)
    instance = entity_type.objects().create(**columns)
    _attach_multiples(entity_type, instance, multiples, pointer)
    changed = events.EntityChanged(f"sensors.{entity_type.name}", instance.pk, "create")
    events.emit_after_commit(changed)
    return instance


def _reject_unknown(entity_type: EntityType, data: dict[str, Any], pointer: str) -> None:
    for key in data:
        if key.startswith("@iot.") or key.endswith(_IGNORED_SUFFIXES):
            continue
        if entity_type.property(key) is None and entity_type.navigation(key) is None:
            raise BadRequest(
                f"{entity_type.name} has no property {key!r}; known: "
                f"{', '.join([*entity_type.properties, *entity_type.navigations])}",
                where=f"{pointer}/{key}",
            )


def _property_columns(
    entity_type: EntityType, data: dict[str, Any], pointer: str, *, full: bool
) -> dict[str, Any]:
    """Columns for the properties in ``data``. ``full`` (create, PUT): mandatory ones must
    be there, and an Observation without phenomenonTime gets the current time."""
    columns: dict[str, Any] = {}
    for name, prop in entity_type.properties.items():
        if name == "id" or prop.read_only:
            continue
        where = f"{pointer}/{name}"
        if name not in data:
            if full and prop.required:
                raise BadRequest(f"{entity_type.name}.{name} is mandatory", where=where)
            if full and entity_type.name == "Observation" and name == "phenomenonTime":
                columns.update(columns_for(entity_type, prop, None, where))
            continue
        value = data[name]
        if value is None and prop.required and prop.kind is not Kind.RESULT:  # result: Any
            raise BadRequest(f"{entity_type.name}.{name} must not be null", where=where)
        columns.update(columns_for(entity_type, prop, value, where))
    return columns


def _navigation_values(
    entity_type: EntityType, data: dict[str, Any], pointer: str, fixed: dict[str, Any]
) -> tuple[dict[Navigation, Any], dict[Navigation, Any]]:
    """Resolve every navigation property in ``data``: a link ``{"@iot.id": n}`` to an
    existing entity, or a nested entity created first (deep insert). To-many children
    whose foreign key points back to this entity are returned unresolved: they can only
    be created once this entity exists."""
    singles: dict[Navigation, Any] = {}
    multiples: dict[Navigation, Any] = {}
    for name, nav in entity_type.navigations.items():
        if name in fixed:
            (multiples if nav.many else singles)[nav] = fixed[name]
            continue
        if name not in data:
            continue
        where = f"{pointer}/{name}"
        if nav.many:
            multiples[nav] = _as_list(data[name], where)
        else:
            singles[nav] = _link_or_create(entity(nav.target), data[name], where)
    return singles, multiples


def _as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadRequest(
            "a collection-valued navigation property must be a JSON array", where=where
        )
    return value


def _link_or_create(
    target: EntityType, value: Any, where: str, fixed: dict[str, Any] | None = None
) -> Any:
    if not isinstance(value, dict):
        raise BadRequest(f"{target.name} must be a JSON object", where=where)
    if "@iot.id" in value:
        return linked(target, value["@iot.id"], f"{where}/@iot.id")
    return _create(target, value, where, fixed or {})


def linked(target: EntityType, key: Any, where: str) -> Any:
    pk = valid_id(key)
    found = target.objects().filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise BadRequest(f"no {target.name} with @iot.id {key!r} to link to", where=where)
    return found


def _check_required_links(
    entity_type: EntityType,
    singles: dict[Navigation, Any],
    multiples: dict[Navigation, Any],
    data: dict[str, Any],
    pointer: str,
) -> None:
    for nav in entity_type.navigations.values():
        given = nav in singles or (nav in multiples and multiples[nav])
        if nav.required and not given:
            raise BadRequest(
                f"a {entity_type.name} must link to a {nav.target} "
                f"(give {nav.name} as a link or a nested entity)",
                where=f"{pointer}/{nav.name}",
            )
    if entity_type.name == "Observation":
        streams = [n for n in singles if n.name in ("Datastream", "MultiDatastream")]
        if len(streams) != 1:
            raise BadRequest(
                "an Observation must link to exactly one Datastream or MultiDatastream",
                where=f"{pointer}/Datastream",
            )


def _attach_multiples(
    entity_type: EntityType, instance: Any, multiples: dict[Navigation, Any], pointer: str
) -> None:
    for nav, values in multiples.items():
        target = entity(nav.target)
        field = entity_type.model._meta.get_field(nav.orm)
        where = f"{pointer}/{nav.name}"
        if field.many_to_many or (field.auto_created and field.many_to_many):
            members = [
                v if isinstance(v, models.Model) else _link_or_create(target, v, f"{where}/{i}")
                for i, v in enumerate(values)
            ]
            _add_many(entity_type, instance, nav, members, where)
        else:
            back = _back_navigation(target, entity_type)
            for i, value in enumerate(values):
                if isinstance(value, dict) and "@iot.id" in value:
                    raise BadRequest(
                        f"a {target.name} cannot be moved by linking it here; "
                        f"create it or update its {back}",
                        where=f"{where}/{i}",
                    )
                _create(target, value, f"{where}/{i}", {back: instance})
    if entity_type.name == "HistoricalLocation":
        after_historical_location(instance)
    elif any(nav.name in ("Locations", "Things") for nav in multiples):
        record_location_change(entity_type, instance)


def _back_navigation(target: EntityType, owner: EntityType) -> str:
    for nav in target.navigations.values():
        if nav.target == owner.name and not nav.many:
            return nav.name
    raise BadRequest(f"{target.name} cannot be nested in {owner.name}")


def _add_many(
    entity_type: EntityType, instance: Any, nav: Navigation, members: list[Any], where: str
) -> None:
    if entity_type.name == "MultiDatastream" and nav.name == "ObservedProperties":
        _set_multi_properties(instance, members, where)
        return
    getattr(instance, nav.orm).add(*members)


def _set_multi_properties(instance: MultiDatastream, members: list[Any], where: str) -> None:
    expected = len(instance.unit_of_measurements)
    if not (len(members) == expected == len(instance.multi_observation_data_types)):
        raise BadRequest(
            "a MultiDatastream needs as many ObservedProperties as "
            "unitOfMeasurements and multiObservationDataTypes",
            where=where,
        )
    from smartcity.sensors.models import MultiDatastreamProperty

    start = MultiDatastreamProperty.objects.filter(multi_datastream=instance).count()
    MultiDatastreamProperty.objects.bulk_create(
        MultiDatastreamProperty(multi_datastream=instance, observed_property=op, position=start + i)
        for i, op in enumerate(members)
    )


def record_location_change(entity_type: EntityType, instance: Any) -> None:
    """req/create-update-delete/historical-location-auto-creation: a Thing that gets a new
    Location gets a HistoricalLocation with its current Locations."""
    things = [instance] if entity_type.name == "Thing" else list(instance.things.all())
    now = timezone.now()
    for thing in things:
        current = list(thing.locations.all())
        if not current:
            continue
        history = HistoricalLocation.objects.create(thing=thing, time=now)
        history.locations.set(current)


def after_historical_location(history: HistoricalLocation) -> None:
    """req/create-update-delete/historical-location-manual-creation: a HistoricalLocation
    newer than all others moves the Thing to its Locations."""
    newer = HistoricalLocation.objects.filter(thing=history.thing, time__gt=history.time)
    if not newer.exists():
        history.thing.locations.set(history.locations.all())


def get_one(entity_type: EntityType, pk: int) -> Any:
    found = entity_type.objects().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no {entity_type.name} with id {pk}")
    return found
