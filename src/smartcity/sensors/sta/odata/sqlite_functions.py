"""SQLite stand-ins for the PostgreSQL/PostGIS functions the $filter compiler emits
(see sql.py and geo.py for the PostgreSQL side).

Every function returns NULL instead of raising: an exception inside a SQLite function
aborts the whole query, while NULL just makes the condition false for that row.
Geometries arrive as GeoJSON text (a stored column) or WKT (a literal); parsed shapes are
cached, since a literal is the same for every row and stored values repeat across joins.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from smartcity.core.geo import BBox, GeometryError, from_wkt, to_shape
from smartcity.core.timeutil import shifted


@lru_cache(maxsize=4096)
def _shape(text: str) -> BaseGeometry | None:
    try:
        if text.lstrip().startswith("{"):
            return to_shape(json.loads(text))
        return from_wkt(text)
    except (GeometryError, ValueError, TypeError):
        return None


def _shapes(*texts: Any) -> list[BaseGeometry] | None:
    if not all(isinstance(t, str) for t in texts):
        return None
    shapes = [_shape(t) for t in texts]
    return None if any(s is None for s in shapes) else shapes  # type: ignore[return-value]


def _predicate(method: str) -> Callable[[Any, Any], int | None]:
    def apply(first: Any, second: Any) -> int | None:
        shapes = _shapes(first, second)
        if shapes is None:
            return None
        try:
            return int(bool(getattr(shapes[0], method)(shapes[1])))
        except shapely.errors.ShapelyError:
            return None

    return apply


def _relate(first: Any, second: Any, pattern: Any) -> int | None:
    shapes = _shapes(first, second)
    if shapes is None or not isinstance(pattern, str):
        return None
    try:
        return int(shapes[0].relate_pattern(shapes[1], pattern))
    except shapely.errors.ShapelyError:
        return None


def _distance(first: Any, second: Any) -> float | None:
    shapes = _shapes(first, second)
    return None if shapes is None else float(shapes[0].distance(shapes[1]))


def _length(value: Any) -> float | None:
    shapes = _shapes(value)
    return None if shapes is None else _linear_length(shapes[0])


def _linear_length(shape: BaseGeometry) -> float:
    """Like PostGIS ST_Length: only lines count, areas have length 0 (not perimeter)."""
    if shape.geom_type in ("LineString", "LinearRing", "MultiLineString"):
        return float(shape.length)
    if shape.geom_type == "GeometryCollection":
        return sum(_linear_length(part) for part in shape.geoms)  # type: ignore[attr-defined]
    return 0.0


def _envelope(min_x: Any, min_y: Any, max_x: Any, max_y: Any) -> str | None:
    if not all(isinstance(v, int | float) for v in (min_x, min_y, max_x, max_y)):
        return None
    return json.dumps(BBox(min_x, min_y, max_x, max_y).as_geojson())


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _floor(value: Any) -> float | None:
    return float(math.floor(value)) if _numbers(value) and math.isfinite(value) else None


def _ceiling(value: Any) -> float | None:
    return float(math.ceil(value)) if _numbers(value) and math.isfinite(value) else None


def _round(value: Any) -> float | None:
    """Half away from zero, as OData and PostgreSQL's round(numeric) do."""
    if not _numbers(value) or not math.isfinite(value):
        return None
    return float(math.copysign(math.floor(abs(value) + 0.5), value))


def _mod(dividend: Any, divisor: Any) -> float | None:
    if not _numbers(dividend, divisor) or divisor == 0:
        return None
    try:
        return math.fmod(dividend, divisor)
    except ValueError:  # infinite dividend
        return None


def _fractional_seconds(value: Any) -> float | None:
    """The fraction of the second of a stored datetime ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    if not isinstance(value, str) or len(value) < 19:
        return None
    fraction = value[19:].split("+")[0].split("-")[0]
    if not fraction.startswith("."):
        return 0.0
    digits = fraction[1:7]
    return int(digits.ljust(6, "0")) / 1_000_000 if digits.isdigit() else None


def _shift_time(value: Any, microseconds: Any) -> str | None:
    """A stored datetime ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC) plus a duration in
    microseconds, stopping at the ends of the calendar."""
    if not isinstance(value, str) or not isinstance(microseconds, int):
        return None
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        return None
    return str(shifted(start, timedelta(microseconds=microseconds)))


_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    **{
        f"sta_st_{name}": (2, _predicate(name))
        for name in (
            "equals",
            "disjoint",
            "touches",
            "within",
            "overlaps",
            "crosses",
            "intersects",
            "contains",
        )
    },
    "sta_st_relate": (3, _relate),
    "sta_geo_distance": (2, _distance),
    "sta_geo_length": (1, _length),
    "sta_envelope": (4, _envelope),
    "sta_floor": (1, _floor),
    "sta_ceiling": (1, _ceiling),
    "sta_round": (1, _round),
    "sta_mod": (2, _mod),
    "sta_fractionalseconds": (1, _fractional_seconds),
    "sta_shift_time": (2, _shift_time),
}


def register(raw: sqlite3.Connection) -> None:
    """Register the STA functions on a raw SQLite connection."""
    for name, (arity, function) in _FUNCTIONS.items():
        raw.create_function(name, arity, function, deterministic=True)
