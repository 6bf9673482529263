"""A page of one stream's observations, the read every dashboard makes all day:
``Datastreams(n)/Observations?$top=...&$orderby=phenomenonTime desc``.

With no more than ``$top``, ``$skip``, ``$select`` and ``$orderby`` on columns that are
never NULL (phenomenonTime, id), the page is one plain statement on the (stream, time, id)
index; building and compiling the same query through the ORM costs more than running it.
The page is cut and its nextLink made by the general path's own code (reads.cut_page), and
anything else, or a page that comes back empty, is answered by the general path, so both
answer every request the same way (the tests compare them).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from smartcity.sensors.entities import OBSERVATION
from smartcity.sensors.models import Observation
from smartcity.sensors.sta import query_options, reads
from smartcity.sensors.sta.paths import ParentLink
from smartcity.sensors.sta.rows import entity_columns, execute
from smartcity.sensors.sta.serialize import Links

_STREAM_COLUMN = {"Datastream": "datastream_id", "MultiDatastream": "multi_datastream_id"}


def try_read(
    stream: ParentLink, options: query_options.QueryOptions, links: Links, url: str
) -> dict[str, Any] | None:
    """The body of ``stream``'s Observations page, or None to leave the request to the
    general path."""
    if not _plain(options):
        return None
    keys = reads.sort_keys_for(OBSERVATION, options)
    if not all(_plain_column(key.column) and not key.nullable for key in keys):
        return None
    table = connection.ops.quote_name(Observation._meta.db_table)
    order = ", ".join(f"{key.column} {'DESC' if key.descending else 'ASC'}" for key in keys)
    aliases = ", ".join(f"{key.column} AS _k{i}" for i, key in enumerate(keys))
    size = options.page_size()
    rows = execute(
        f"SELECT {', '.join(entity_columns(OBSERVATION))}, {aliases} FROM {table} "
        f"WHERE {_STREAM_COLUMN[stream.entity.name]} = %s ORDER BY {order} LIMIT %s OFFSET %s",
        [stream.pk, size + 1, options.skip],
    )
    if not rows.data:
        return None  # the general path tells an empty page from a missing stream
    page = reads.cut_page(rows, None, keys, options, options.skip)
    body: dict[str, Any] = {"value": reads.serialize_rows(page.rows, OBSERVATION, options, links)}
    if page.next_token:
        body["@iot.nextLink"] = reads.next_link(url, options, page.next_token)
    return body


def _plain(options: query_options.QueryOptions) -> bool:
    return not (
        options.filter is not None
        or options.expand
        or options.count
        or options.skiptoken
        or options.result_format
    )


def _plain_column(column: str | None) -> bool:
    return column is not None and column in entity_columns(OBSERVATION)
