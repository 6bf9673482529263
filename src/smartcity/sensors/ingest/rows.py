"""One ``dataArray`` row to one database-ready observation row, in a single pass.

A ``RowBuilder`` is made per group, knowing the group's components and the store in use,
so each row is validated, converted to what the driver takes and folded into the
stream's extent without per-value dispatch. This is the hot loop of bulk ingest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from smartcity.core.errors import BadRequest
from smartcity.core.timeutil import TimeFormatError, parse_instant, parse_time_value
from smartcity.sensors.entities import valid_id
from smartcity.sensors.ingest.bulk_insert import JSON, TIME, converters
from smartcity.sensors.ingest.observations import Extent
from smartcity.sensors.values import numeric_result


def _time(
    row: list[Any], position: int | None, parse: Callable[[Any], Any], name: str, where: str
) -> Any:
    """The parsed time at ``position`` (None when the component is absent or null); a
    malformed one is a BadRequest naming the component and the value's pointer."""
    if position is None or row[position] is None:
        return None
    try:
        return parse(row[position])
    except TimeFormatError as error:
        raise BadRequest(f"{name}: {error}", where=f"{where}/{position}") from None


class _Positions:
    """Where each component stands in a row (None: not in this group's rows)."""

    def __init__(self, components: list[str]) -> None:
        at = {name: i for i, name in enumerate(components)}
        self.phenomenon = at.get("phenomenonTime")
        self.result_time = at.get("resultTime")
        self.valid = at.get("validTime")
        self.result = at["result"]
        self.parameters = at.get("parameters")
        self.quality = at.get("resultQuality")
        self.feature = at.get("FeatureOfInterest/id")


class RowBuilder:
    """Builds rows for one stream; ``extent`` and ``features`` grow with every row."""

    def __init__(
        self,
        stream_id: int,
        multi_size: int | None,
        components: list[str],
        default_feature: int | None,
        now: datetime,
        known_features: set[int] | None = None,
    ) -> None:
        self.stream_id, self.multi_size, self.now = stream_id, multi_size, now
        self.width = len(components)
        self.index = _Positions(components)
        self.default_feature = default_feature
        # the FeatureOfInterest/id values that name a stored feature (None: not checked)
        self.known_features = known_features
        self.extent: Extent | None = None
        self.features: set[int] = set()
        to_time, to_json = converters([TIME, JSON])
        self.time: Callable[[Any], Any] = to_time or (lambda v: v)
        self.json: Callable[[Any], Any] = to_json or (lambda v: v)

    def build(self, row: Any, where: str) -> tuple[Any, ...]:
        """The row's column values; BadRequest naming the row (``where``), and the value
        in it (``where/position``) with its component, for a row that cannot be stored."""
        if type(row) is not list or len(row) != self.width:
            raise BadRequest(f"each row must be an array of {self.width} values", where=where)
        i = self.index
        start, end = (
            (self.now, None)
            if i.phenomenon is None
            else _time(row, i.phenomenon, parse_time_value, "phenomenonTime", where)
        )
        result_time = _time(row, i.result_time, parse_instant, "resultTime", where)
        valid = _time(row, i.valid, parse_time_value, "validTime", where) or (None, None)
        result = row[i.result]
        number = self._number(result, f"{where}/{i.result}")
        parameters = None if i.parameters is None else row[i.parameters]
        if parameters is not None and type(parameters) is not dict:
            raise BadRequest("parameters must be a JSON object", where=f"{where}/{i.parameters}")
        feature = self._feature(row, where)
        quality = None if i.quality is None else row[i.quality]
        time, json = self.time, self.json
        multi = self.multi_size is not None
        # the converters map None to None themselves; `x and f(x)` would let {} or 0 through
        built = (
            time(start),
            time(end),
            time(result_time),
            json(result),
            number,
            json(quality),
            time(valid[0]),
            time(valid[1]),
            json(parameters),
            None if multi else self.stream_id,
            self.stream_id if multi else None,
            feature,
        )
        self._extend(start, end, result_time, feature)  # only a row that is stored
        return built

    def _feature(self, row: list[Any], where: str) -> int:
        position = self.index.feature
        if position is None:
            feature = self.default_feature
            if type(feature) is not int:  # the caller knows the generated feature
                raise BadRequest("the rows have no FeatureOfInterest", where=where)
            return feature
        feature = row[position]
        if type(feature) is not int or valid_id(feature) is None:
            raise BadRequest(
                "FeatureOfInterest/id must be a valid integer id", where=f"{where}/{position}"
            )
        if self.known_features is not None and feature not in self.known_features:
            raise BadRequest(
                f"FeatureOfInterest/id: no FeatureOfInterest with @iot.id {feature}",
                where=f"{where}/{position}",
            )
        return feature

    def _number(self, result: Any, where: str) -> float | None:
        if self.multi_size is not None:
            if not isinstance(result, list) or len(result) != self.multi_size:
                raise BadRequest(
                    "a MultiDatastream result must be an array with one value per ObservedProperty",
                    where=where,
                )
            return None
        return numeric_result(result, where)

    def _extend(
        self, start: datetime, end: datetime | None, result_time: datetime | None, feature: int
    ) -> None:
        self.features.add(feature)
        if self.extent is None:
            self.extent = Extent(start, end or start)
        self.extent.add(start, end, result_time)
