"""Environmental data out of the urban data platform: aggregates of a measuring series and
the newest value of every series. Built on ``smartcity.sensors.services``, the data layer
every domain may use; the air quality index, limit values and alerts will live here too.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from smartcity.core.errors import NotFound
from smartcity.core.timeutil import format_instant
from smartcity.sensors import services as sensors

Bucket = sensors.Bucket
Latest = sensors.Latest


def series(stream_id: int, start: datetime, end: datetime, interval: str) -> list[Bucket]:
    """Count, mean, minimum and maximum per hour, day or month (local calendar)."""
    if not sensors.datastream_exists(stream_id):
        raise NotFound(f"no Datastream with id {stream_id}", where="datastream")
    return sensors.aggregate(stream_id, start, end, interval)


def series_csv(buckets: list[Bucket]) -> str:
    """The buckets as CSV (RFC 4180), one line each, for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["start", "end", "count", "mean", "min", "max"])
    for bucket in buckets:
        writer.writerow(
            [
                format_instant(bucket.start),
                format_instant(bucket.end),
                bucket.count,
                "" if bucket.mean is None else repr(bucket.mean),
                "" if bucket.minimum is None else repr(bucket.minimum),
                "" if bucket.maximum is None else repr(bucket.maximum),
            ]
        )
    return out.getvalue()


def latest() -> list[Latest]:
    return sensors.latest_values()
