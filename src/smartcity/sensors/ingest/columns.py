"""The common shape of a CreateObservations group, built a column at a time.

Sensors and importers send ``phenomenonTime`` and ``result`` (sometimes ``resultTime`` and
``FeatureOfInterest/id``) with UTC time stamps. For such a group every column is checked
and converted by one C-level pass (``map``, ``zip``, comprehensions) instead of one Python
call per value, and only the columns the group has are written: binding a dozen NULLs per
row costs SQLite's ``executemany`` more than the index updates.

:func:`build` answers None for anything else (another component, a MultiDatastream, a
local or malformed time, a non-finite number): the row-at-a-time ``RowBuilder`` then
handles the group and names any error, so both accept and refuse exactly the same input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

import orjson

from smartcity.core.timeutil import has_long_fraction
from smartcity.sensors.entities import MAX_ID
from smartcity.sensors.ingest.bulk_insert import TIME, converters
from smartcity.sensors.ingest.observations import Extent

_SHAPES = {"phenomenonTime", "result", "resultTime", "FeatureOfInterest/id"}


@dataclass
class Columns:
    """Database-ready values of one group, column-major; ``data[i]`` belongs to
    ``names[i]``. A constant column is an ``itertools.repeat``."""

    names: tuple[str, ...]
    data: list[Sequence[Any] | repeat[Any]]
    count: int
    extent: Extent | None = None
    features: set[int] = field(default_factory=set)


def build(
    stream_id: int,
    multi: bool,
    components: list[str],
    default_feature: int | None,
    data: Any,
    known_features: set[int] | None = None,
) -> Columns | None:
    """The group's columns, or None to leave it to the RowBuilder. ``known_features``:
    the stored FeatureOfInterest ids among those the rows name (None: not checked)."""
    given = set(components)
    if multi or not given <= _SHAPES or not {"phenomenonTime", "result"} <= given:
        return None
    width = len(components)
    if type(data) is not list or not data:
        return None
    if not all(type(row) is list and len(row) == width for row in data):
        return None
    at = {name: i for i, name in enumerate(components)}
    values = list(zip(*data, strict=True))
    starts = _instants(values[at["phenomenonTime"]])
    results = _results(values[at["result"]])
    if starts is None or results is None:
        return None
    extent = Extent(min(starts), max(starts))
    names = ["phenomenon_time_start", "result", "result_number", "datastream_id"]
    columns: list[Sequence[Any] | repeat[Any]] = [
        _stored(starts, values[at["phenomenonTime"]]),
        *results,
        repeat(stream_id),
    ]
    if "resultTime" in at:
        result_times = _optional_instants(values[at["resultTime"]])
        if result_times is None:
            return None
        known = [t for t in result_times if t is not None]
        if known:
            extent.result_start, extent.result_end = min(known), max(known)
        names.append("result_time")
        columns.append(_stored(result_times, values[at["resultTime"]]))
    if "FeatureOfInterest/id" in at:
        features = values[at["FeatureOfInterest/id"]]
        if not all(type(f) is int and 0 < f <= MAX_ID for f in features):
            return None
        feature_set = set(features)
        if known_features is not None and not feature_set <= known_features:
            return None
        columns.append(features)
    elif default_feature is not None:
        columns.append(repeat(default_feature))
        feature_set = {default_feature}
    else:
        return None
    names.append("feature_of_interest_id")
    return Columns(tuple(names), columns, len(data), extent, feature_set)


def _instants(texts: Sequence[Any]) -> list[datetime] | None:
    """Aware UTC datetimes, or None unless every value is an ISO 8601 instant with an
    offset that timeutil.parse_instant accepts (intervals, local times and errors are for
    the row-at-a-time path)."""
    try:
        parsed = list(map(datetime.fromisoformat, texts))
    except (TypeError, ValueError):
        return None
    if any(value.tzinfo is None for value in parsed):
        return None
    if has_long_fraction("\n".join(texts)):  # all str: fromisoformat took them
        return None
    if any(value.utcoffset() for value in parsed):
        try:
            parsed = [value.astimezone(UTC) for value in parsed]
        except OverflowError:  # beyond the year 9999 or before the year 1 in UTC
            return None
    return parsed


def _optional_instants(texts: Sequence[Any]) -> list[datetime | None] | None:
    given = [t for t in texts if t is not None]
    parsed = _instants(given)
    if parsed is None:
        return None
    if len(given) == len(texts):
        return list(parsed)
    found = iter(parsed)
    return [None if t is None else next(found) for t in texts]


def _stored(values: Sequence[datetime | None], texts: Sequence[Any]) -> Sequence[Any]:
    """As the store takes them: PostgreSQL the datetimes, SQLite Django's naive UTC text
    ``YYYY-MM-DD HH:MM:SS[.ffffff]``. Whole-second ``...Z`` input, which fromisoformat has
    validated, is rearranged rather than formatted again."""
    (to_time,) = converters([TIME])
    if to_time is None:
        return values
    if all(type(t) is str and len(t) == 20 and t[19] == "Z" for t in texts):
        return [f"{t[:10]} {t[11:19]}" for t in texts]
    return list(map(to_time, values))


def _results(values: Sequence[Any]) -> tuple[list[str | None], list[float | None]] | None:
    """The JSON text of each result (NULL for null) and its float mirror
    (values.numeric_result)."""
    numbers: list[float | None]
    if all(type(v) is float for v in values):
        numbers = list(values)
    else:
        try:
            numbers = [float(v) if type(v) is float or type(v) is int else None for v in values]
        except OverflowError:
            return None
    if not all(n is None or math.isfinite(n) for n in numbers):
        return None
    dumps = orjson.dumps
    return [None if v is None else dumps(v).decode() for v in values], numbers
