"""Resource paths (OGC 18-088 clause 9.2): from ``Things(1)/Datastreams`` to a query.

A path resolves to the root, a collection, one entity, a property of one entity (with
``$value``), or the ``$ref`` of a collection or single navigation property. Resolution
checks every entity addressed on the way, so ``Things(999)/Datastreams`` is a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ForeignObjectRel, QuerySet
from django.db.models.fields.related import RelatedField

from smartcity.core.errors import BadRequest, NotFound
from smartcity.sensors.entities import BY_PLURAL, EntityType, Navigation, entity, valid_id

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z$][A-Za-z0-9_]*)(?:\((?P<key>[^()]*)\))?$")


@dataclass
class ParentLink:
    """The entity a collection hangs below, so a POST to it links the new entity."""

    entity: EntityType
    pk: int
    navigation: Navigation


@dataclass
class Target:
    kind: str  # "root" | "collection" | "entity" | "property"
    entity: EntityType | None = None
    queryset: QuerySet[Any] | None = None
    parent: ParentLink | None = None
    property: str | None = None
    member_path: list[str] = field(default_factory=list)  # JSON members below a property
    raw_value: bool = False  # $value
    ref: bool = False  # $ref
    navigation: Navigation | None = None  # set when the last step was a navigation
    pk: int | None = None  # the id, once one entity is addressed
    unverified: bool = False  # that entity's existence is not checked yet
    parent_unverified: bool = False  # the parent's existence is not checked yet


_STREAM_OBSERVATIONS = re.compile(r"^/*(Datastreams|MultiDatastreams)\(([0-9]+)\)/Observations/*$")


def stream_observations(path: str) -> ParentLink | None:
    """``Datastreams(n)/Observations`` (or a MultiDatastream's) as the link to its stream,
    for the lean read and write paths that skip :func:`resolve`; None for any other path.
    The stream's existence is not checked here."""
    match = _STREAM_OBSERVATIONS.match(path)
    pk = valid_id(match[2]) if match else None
    if match is None or pk is None:
        return None
    owner = BY_PLURAL[match[1]]
    return ParentLink(owner, pk, owner.navigations["Observations"])


def reverse_lookup(source: EntityType, nav: Navigation) -> str:
    """The Django lookup from the navigation's target model back to ``source``."""
    model_field = source.model._meta.get_field(nav.orm)
    if isinstance(model_field, ForeignObjectRel):  # reverse FK or reverse M2M
        return model_field.field.name
    assert isinstance(model_field, RelatedField)
    return model_field.related_query_name()


def _parse_key(raw: str, where: str) -> int:
    text = raw.strip()
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        text = text[1:-1]
    pk = valid_id(text)
    if pk is None:
        raise NotFound(
            f"no entity with id {raw!r}: ids on this service are positive integers", where=where
        )
    return pk


def _split(path: str) -> list[str]:
    stripped = path.strip("/")
    return [s for s in stripped.split("/")] if stripped else []


def resolve(path: str) -> Target:
    segments = _split(path)
    if not segments:
        return Target("root")
    first = _SEGMENT.match(segments[0])
    if not first or first["name"] not in BY_PLURAL:
        raise NotFound(
            f"unknown entity set {segments[0]!r}; known: {', '.join(BY_PLURAL)}", where="path"
        )
    current = BY_PLURAL[first["name"]]
    queryset: QuerySet[Any] = current.objects()
    target = Target("collection", current, queryset)
    if first["key"] is not None:
        pk = _parse_key(first["key"], segments[0])
        if _lists_its_collection(current, segments):
            # Entities(n)/Collection: rows of the collection prove that n exists, so the
            # existence check waits until the page comes back empty (parent_unverified).
            target = _one(current, pk, None)
            target.unverified = True
        else:
            target = _select_one(target, pk, segments[0])
    for position, segment in enumerate(segments[1:], start=1):
        target = _step(target, segment, segments[: position + 1])
    return target


def _lists_its_collection(entity_type: EntityType, segments: list[str]) -> bool:
    """``Entities(n)/Navigation`` with a to-many navigation, and nothing after it."""
    if len(segments) != 2:
        return False
    nav = entity_type.navigation(segments[1])
    return nav is not None and nav.many


def parent_exists(target: Target) -> bool:
    parent = target.parent
    assert parent is not None
    return parent.entity.objects().filter(pk=parent.pk).exists()


def _select_one(target: Target, pk: int, where: str) -> Target:
    assert target.entity is not None and target.queryset is not None
    found = target.queryset.filter(pk=pk).values_list("pk", flat=True).first()
    if found is None:
        raise NotFound(f"no {target.entity.name} with id {pk}", where=where)
    return _one(target.entity, found, target.navigation, target.parent)


def _one(
    entity_type: EntityType,
    pk: int,
    navigation: Navigation | None,
    parent: ParentLink | None = None,
) -> Target:
    queryset = entity_type.objects().filter(pk=pk)
    return Target("entity", entity_type, queryset, parent=parent, navigation=navigation, pk=pk)


def _step(target: Target, segment: str, upto: list[str]) -> Target:
    where = "/".join(upto)
    if target.kind == "property":
        return _step_in_property(target, segment, where)
    if segment == "$ref":
        if target.kind not in ("collection", "entity") or target.navigation is None:
            raise BadRequest(
                "$ref follows a navigation property, e.g. Things(1)/Datastreams/$ref", where=where
            )
        target.ref = True
        return target
    match = _SEGMENT.match(segment)
    if match is None:
        raise NotFound(f"malformed path segment {segment!r}", where=where)
    name, key = match["name"], match["key"]
    assert target.entity is not None
    if target.kind == "collection":
        raise NotFound(
            f"{name!r} cannot follow a collection; address one entity first, "
            f"e.g. {target.entity.plural}(1)/{name}",
            where=where,
        )
    nav = target.entity.navigation(name)
    if nav is not None:
        return _navigate(target, nav, key, where)
    if key is None and target.entity.property(name) is not None:
        return Target("property", target.entity, target.queryset, property=name)
    raise NotFound(
        f"{target.entity.name} has no property or navigation property {name!r}", where=where
    )


def _navigate(target: Target, nav: Navigation, key: str | None, where: str) -> Target:
    assert target.entity is not None and target.queryset is not None
    destination = entity(nav.target)
    lookup = reverse_lookup(target.entity, nav)
    parent_pk = target.pk
    assert parent_pk is not None
    # Filter by the parent's id, not by a subquery: with a constant the planner can walk
    # the (parent, time, id) index in order instead of sorting.
    queryset = destination.objects().filter(**{lookup: parent_pk})
    step = Target(
        "collection" if nav.many else "entity",
        destination,
        queryset,
        parent=ParentLink(target.entity, parent_pk, nav),
        navigation=nav,
        parent_unverified=target.unverified,
    )
    if nav.many and key is not None:
        return _select_one(step, _parse_key(key, where), where)
    if key is not None:
        raise NotFound(f"{nav.name} is a single entity and takes no id", where=where)
    if not nav.many:
        found = queryset.values_list("pk", flat=True).first()
        if found is None:
            raise NotFound(f"{target.entity.name} has no {nav.name}", where=where)
        return _one(destination, found, nav, step.parent)
    return step


def _step_in_property(target: Target, segment: str, where: str) -> Target:
    if target.raw_value:
        raise NotFound("nothing can follow $value", where=where)
    if segment == "$value":
        target.raw_value = True
        return target
    if not re.fullmatch(r"[A-Za-z0-9_@.\-]+", segment):
        raise NotFound(f"malformed member name {segment!r}", where=where)
    target.member_path.append(segment)
    return target
