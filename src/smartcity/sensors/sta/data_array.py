"""Observations in the dataArray result format (OGC 18-088 clause 13.1): grouped by
Datastream or MultiDatastream, each row the values of the requested components."""

from __future__ import annotations

from typing import Any

from smartcity.core.errors import BadRequest
from smartcity.sensors.entities import OBSERVATION
from smartcity.sensors.sta import reads
from smartcity.sensors.sta.paths import Target
from smartcity.sensors.sta.query_options import QueryOptions
from smartcity.sensors.sta.rows import property_columns
from smartcity.sensors.sta.serialize import Links

DEFAULT_COMPONENTS = ["id", "phenomenonTime", "resultTime", "result"]


def body(target: Target, options: QueryOptions, links: Links, url: str) -> dict[str, Any]:
    if target.entity is not OBSERVATION or target.kind != "collection":
        raise BadRequest(
            "$resultFormat=dataArray applies to collections of Observations", where="$resultFormat"
        )
    if options.expand:
        raise BadRequest("$resultFormat=dataArray cannot be combined with $expand", where="$expand")
    components = [
        c for c in (options.select or DEFAULT_COMPONENTS) if OBSERVATION.property(c) is not None
    ]
    if not components:
        raise BadRequest("$select names no Observation property for the dataArray", where="$select")
    assert target.queryset is not None
    page = reads.fetch_page(target.queryset, OBSERVATION, options, with_count=True)
    groups: dict[tuple[str, int], list[list[Any]]] = {}
    columns = page.rows.columns
    values = dict(property_columns(OBSERVATION, page.rows, components, links.version))
    if columns:
        values["id"] = page.rows.column("id")
    datastream, multi = columns.get("datastream_id", 0), columns.get("multi_datastream_id", 0)
    for index, row in enumerate(page.rows.data):
        key = (
            ("Datastream", row[datastream])
            if row[datastream] is not None
            else ("MultiDatastream", row[multi])
        )
        groups.setdefault(key, []).append([values[c][index] for c in components])
    result: dict[str, Any] = {}
    if page.count is not None:
        result["@iot.count"] = page.count
    result["value"] = [
        {
            f"{kind}@iot.navigationLink": f"{links.root}{kind}s({pk})",
            "components": components,
            "dataArray": rows,
        }
        for (kind, pk), rows in groups.items()
    ]
    if page.next_token:
        result["@iot.nextLink"] = reads.next_link(url, options, page.next_token)
    return result
