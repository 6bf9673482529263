"""Property paths (OGC 18-088 clause 9.3.3.5.1): ``name``, ``Datastream/Thing/name``,
``Datastreams/Observations/result``, ``properties/owner``, ``result/a/b``.

A path becomes a Django field reference through the ORM relations named in entities.py.
Paths through to-many navigations are only resolved inside the Exists subquery the
compiler wraps around them, so they never multiply the outer rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from smartcity.sensors.entities import BY_NAME, EntityType, Kind, Property
from smartcity.sensors.sta.odata import geo
from smartcity.sensors.sta.odata.ast import Path
from smartcity.sensors.sta.odata.lexer import ID_ANNOTATION
from smartcity.sensors.sta.odata.values import JsonRef, Scope, Typ, Val

_WITH_MEMBERS = (Kind.JSON, Kind.RESULT)


@dataclass(frozen=True)
class Resolved:
    entity: EntityType  # the entity the property belongs to
    prefix: str  # ORM lookup to that entity, "" or ending in "__"
    prop: Property
    members: tuple[str, ...]  # JSON member path below the property
    many: str | None  # name of the first to-many navigation on the way, if any


def resolve(path: Path, entity: EntityType, scope: Scope) -> Resolved:
    prefix = ""
    many: str | None = None
    current = entity
    for index, segment in enumerate(path.segments):
        navigation = current.navigation(segment)
        if navigation is not None:
            prefix += navigation.orm + "__"
            if navigation.many and many is None:
                many = segment
            current = BY_NAME[navigation.target]
            continue
        prop = current.property("id" if segment == ID_ANNOTATION else segment)
        if prop is None:
            known = ", ".join([*current.properties, *current.navigations])
            raise scope.error(
                f"unknown property {segment!r} of {current.name}; known: {known}", path.pos
            )
        members = path.segments[index + 1 :]
        if members and prop.kind not in _WITH_MEMBERS:
            raise scope.error(
                f"{current.name}/{segment} has no members, so "
                f"'{'/'.join(path.segments)}' is not a property",
                path.pos,
            )
        return Resolved(current, prefix, prop, members, many)
    raise scope.error(
        f"'{'/'.join(path.segments)}' is an entity, not a value; compare one "
        "of its properties, e.g. its id",
        path.pos,
    )


def crosses_many(path: Path, entity: EntityType) -> bool:
    """Whether ``path`` goes through a to-many navigation (without validating it)."""
    current = entity
    for segment in path.segments:
        navigation = current.navigation(segment)
        if navigation is None:
            return False
        if navigation.many:
            return True
        current = BY_NAME[navigation.target]
    return False


def path_value(path: Path, entity: EntityType, scope: Scope) -> Val:
    resolved = resolve(path, entity, scope)
    if resolved.many is not None and not scope.many_ok:
        raise scope.error(
            f"{scope.where} cannot use the to-many navigation {resolved.many!r}", path.pos
        )
    return property_value(resolved, path.pos)


def property_value(resolved: Resolved, pos: int) -> Val:
    prop, prefix = resolved.prop, resolved.prefix
    column = prefix + prop.field
    match prop.kind:
        case Kind.ID:
            return Val(Typ.NUMBER, pos, F(column), is_id=True, integral=True)
        case Kind.TEXT:
            return Val(Typ.STRING, pos, F(column))
        case Kind.INSTANT:
            return Val(Typ.DATETIME, pos, F(column))
        case Kind.TIME:
            return Val(Typ.TIME, pos, F(column), end=F(prefix + (prop.end_field or prop.field)))
        case Kind.GEOMETRY:
            return Val(Typ.GEOMETRY, pos, geo=geo.column_geo(column, prefix + "bbox"))
        case Kind.AREA:
            return Val(Typ.GEOMETRY, pos, geo=geo.area_geo(column))
        case Kind.RESULT:
            number = None if resolved.members else F(prefix + "result_number")
            return Val(Typ.JSON, pos, json=JsonRef(F(column), resolved.members, number))
        case Kind.JSON:
            return Val(Typ.JSON, pos, json=JsonRef(F(column), resolved.members))
    raise AssertionError(f"unhandled property kind {prop.kind}")
