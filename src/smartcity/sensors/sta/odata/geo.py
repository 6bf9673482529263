"""Geometry in compiled filters: the SQL for a geometry on each store and the spatial
functions of OGC 18-088 Table 23 (geo.* and the nine st_* of OGC 06-104r4 6.1.2.3).

On PostgreSQL the geometry is PostGIS's, built from the stored GeoJSON with exactly the
expression the 0002 migration indexes. On SQLite the ``sta_*`` functions of
:mod:`.sqlite_functions` get GeoJSON or WKT text and answer with shapely, i.e. the same
GEOS library PostGIS uses.

Coordinates are taken as they are (WGS 84 longitude/latitude, SRID 4326) and distances
and lengths are planar, in degrees, on both stores: the specification leaves the
coordinate arithmetic to the server, and degrees are what both stores compute alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Expression, F, FloatField, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from smartcity.core.geo import from_wkt
from smartcity.sensors.sta.odata.sql import SqlParams, VendorFunc, text_value


class GeoJSONGeometry(VendorFunc):
    # The PostgreSQL text must stay identical to the index expression of migration 0002.
    sqlite_template = "{0}"
    postgres_template = "ST_GeomFromGeoJSON(COALESCE(({0} -> 'geometry'), {0})::text)"


class EnvelopeGeometry(VendorFunc):
    """The geometry of a stored bounding box (observedArea): a point when it has no
    extent, else its rectangle."""

    sqlite_template = "sta_envelope({0}, {1}, {2}, {3})"
    postgres_template = (
        "(CASE WHEN {0} = {2} AND {1} = {3} THEN ST_SetSRID(ST_MakePoint({0}, {1}), 4326) "
        "ELSE ST_MakeEnvelope({0}, {1}, {2}, {3}, 4326) END)"
    )


class WKTGeometry(VendorFunc):
    sqlite_template = "{0}"
    postgres_template = "ST_GeomFromText({0}, 4326)"


class SpatialCall(VendorFunc):
    """``sta_<name>(...)`` on SQLite, ``ST_<Name>(...)`` on PostGIS."""

    def __init__(self, name: str, *args: Any, output_field: Any) -> None:
        super().__init__(*args, output_field=output_field)
        self.name = name

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        slots = ", ".join(f"{{{i}}}" for i in range(len(self.get_source_expressions())))
        return self.render(compiler, connection, f"sta_{self.name}({slots})")

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> SqlParams:  # type: ignore[override]
        slots = ", ".join(f"{{{i}}}" for i in range(len(self.get_source_expressions())))
        return self.render(compiler, connection, f"{_POSTGIS[self.name]}({slots})")


_POSTGIS = {
    "st_equals": "ST_Equals",
    "st_disjoint": "ST_Disjoint",
    "st_touches": "ST_Touches",
    "st_within": "ST_Within",
    "st_overlaps": "ST_Overlaps",
    "st_crosses": "ST_Crosses",
    "st_intersects": "ST_Intersects",
    "st_contains": "ST_Contains",
    "st_relate": "ST_Relate",
    "geo_distance": "ST_Distance",
    "geo_length": "ST_Length",
}
PREDICATES = frozenset(name for name in _POSTGIS if name.startswith("st_"))
# Predicates that can only hold when both bounding boxes overlap.
_NEED_BBOX_OVERLAP = PREDICATES - {"st_disjoint", "st_relate"}
RELATE_PATTERN = frozenset("TF*012")


@dataclass(frozen=True)
class Geo:
    """A geometry operand: its SQL expression, the bbox columns when stored with one, and
    the bounds when it is a literal."""

    sql: Expression
    bbox: tuple[F, F, F, F] | None = None
    bounds: tuple[float, float, float, float] | None = None


def literal_geo(wkt: str) -> Geo:
    bounds = from_wkt(wkt).bounds
    finite = all(math.isfinite(b) for b in bounds)
    return Geo(WKTGeometry(text_value(wkt)), None, bounds if finite else None)


def column_geo(column: str, bbox_prefix: str) -> Geo:
    return Geo(GeoJSONGeometry(F(column)), _bbox_columns(bbox_prefix))


def area_geo(bbox_prefix: str) -> Geo:
    columns = _bbox_columns(bbox_prefix)
    return Geo(EnvelopeGeometry(*columns), columns)


def _bbox_columns(prefix: str) -> tuple[F, F, F, F]:
    return (F(f"{prefix}_min_x"), F(f"{prefix}_min_y"), F(f"{prefix}_max_x"), F(f"{prefix}_max_y"))


def predicate(name: str, first: Geo, second: Geo, pattern: str | None = None) -> Q:
    """``st_*`` or geo.intersects as a condition, with a bbox prefilter when one side is a
    stored geometry and the other a literal, so the bbox index narrows the rows first."""
    args: list[Any] = [first.sql, second.sql]
    if pattern is not None:
        args.append(text_value(pattern))
    condition = Q(SpatialCall(name, *args, output_field=BooleanField()))
    if name in _NEED_BBOX_OVERLAP:
        for stored, literal in ((first, second), (second, first)):
            if stored.bbox is not None and literal.bounds is not None:
                return bbox_overlaps(stored.bbox, literal.bounds, 0.0) & condition
    return condition


def bbox_overlaps(
    bbox: tuple[F, F, F, F], bounds: tuple[float, float, float, float], margin: float
) -> Q:
    min_x, min_y, max_x, max_y = bbox
    return (
        Q(GreaterThanOrEqual(max_x, bounds[0] - margin))
        & Q(LessThanOrEqual(min_x, bounds[2] + margin))
        & Q(GreaterThanOrEqual(max_y, bounds[1] - margin))
        & Q(LessThanOrEqual(min_y, bounds[3] + margin))
    )


def distance(first: Geo, second: Geo) -> Expression:
    return SpatialCall("geo_distance", first.sql, second.sql, output_field=FloatField())


def length(geo: Geo) -> Expression:
    return SpatialCall("geo_length", geo.sql, output_field=FloatField())


def distance_prefilter(first: Geo, second: Geo, op: str, limit: float) -> Q | None:
    """For ``geo.distance(stored, literal) lt/le d``: only rows whose bbox comes within d
    of the literal's bounds can match."""
    if op not in ("lt", "le") or not math.isfinite(limit) or limit < 0:
        return None
    for stored, literal in ((first, second), (second, first)):
        if stored.bbox is not None and literal.bounds is not None:
            return bbox_overlaps(stored.bbox, literal.bounds, limit)
    return None
