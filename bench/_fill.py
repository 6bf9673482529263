"""Fill a store with observations directly, not over HTTP: a raw insert of the rows
```smartcity.sensors.ingest.groups.insert_groups`` would write (default: executemany on SQLite,
COPY on PostgreSQL, foreign-key checks off in this session), or insert_groups itself
(--via ingest, about 2-8x slower). Run by bench_latest.py as a subprocess with the
server's environment:

    python bench/_fill.py --rows N --streams 1,2,3 [--chunk 50000] [--via raw|ingest]

Rows are interleaved over the streams the way a city's sensors report: every stream gets
one observation per minute, so a stream's rows are spread over the whole table. Prints
one line of JSON: {"rows": ..., "fill_seconds": ..., "analyze_seconds": ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2020, 1, 1, tzinfo=UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--streams", required=True, help="comma-separated Datastream ids")
    parser.add_argument("--chunk", type=int, default=50_000, help="rows per transaction")
    parser.add_argument(
        "--via",
        choices=("raw", "ingest"),
        default="raw",
        help="raw: one executemany of pre-adapted rows per chunk (fast); "
        "ingest: smartcity.sensors.ingest.groups.insert_groups (the platform's "
        "bulk path, about 3x slower)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()
    stream_ids = [int(s) for s in args.streams.split(",")]
    began = time.perf_counter()
    done = fill(stream_ids, args.rows, args.chunk, args.via)
    filled = time.perf_counter() - began
    analyzed = analyze()
    print(json.dumps({"rows": done, "fill_seconds": filled, "analyze_seconds": analyzed}))
    return 0


def fill(stream_ids: list[int], total: int, chunk: int, via: str) -> int:
    from django.db import transaction

    from smartcity.sensors.ingest.groups import insert_groups
    from smartcity.sensors.ingest.observations import feature_for_stream
    from smartcity.sensors.models import Datastream

    streams = list(Datastream.objects.filter(pk__in=stream_ids).order_by("pk"))
    with transaction.atomic():
        features = {s.pk: feature_for_stream(s, "/").pk for s in streams}
    if via == "raw":
        skip_checks_in_this_session()
    steps_per_chunk = max(1, chunk // len(streams))
    done, step = 0, 0
    while done < total:
        left = total - done
        groups = [
            (
                stream,
                _rows(
                    stream.pk,
                    features[stream.pk],
                    index,
                    step,
                    min(steps_per_chunk, -(-(left - index) // len(streams))),
                ),
            )
            for index, stream in enumerate(streams)
            if index < left
        ]
        with transaction.atomic():
            if via == "ingest":
                insert_groups([_as_ingested(g) for g in groups])
            else:
                insert_raw(groups)
        done += sum(len(rows) for _, rows in groups)
        step += steps_per_chunk
        print(f"\r  filled {done:,} of {total:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if via == "raw":
        set_extents(streams)
    return done


def _as_ingested(group: tuple[Any, list[tuple[Any, ...]]]) -> Any:
    """The group as CreateObservations would build it, through the platform's own column
    builder (validation, conversion, extent)."""
    from smartcity.sensors.ingest.columns import build as build_columns
    from smartcity.sensors.ingest.groups import Group

    stream, rows = group
    data = [[row[0].isoformat(), row[3], row[-1]] for row in rows]
    components = ["phenomenonTime", "result", "FeatureOfInterest/id"]
    columns = build_columns(stream.pk, False, components, None, data)
    assert columns is not None  # the common shape
    return Group(stream, columns)


def insert_raw(groups: list[Any]) -> None:
    """The rows insert_groups would write, adapted once per distinct value, without its id
    allocation, extents and change events: a fill, not an ingest. PostgreSQL gets COPY."""
    from django.db import connection

    from smartcity.sensors.ingest.bulk_insert import write_rows
    from smartcity.sensors.ingest.groups import COLUMNS

    times: dict[Any, Any] = {}
    results: dict[Any, Any] = {}
    params = []
    for _, rows in groups:
        for row in rows:
            start, result = row[0], row[3]
            if start not in times:
                times[start] = connection.ops.adapt_datetimefield_value(start)
            if result not in results:
                results[result] = json.dumps(result)
            params.append((times[start], None, None, results[result], *row[4:]))
    write_rows("sensors_observation", COLUMNS[1:], None, params)


def skip_checks_in_this_session() -> None:
    """The rows are known to be valid: no foreign-key checks, no waiting for the disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # no FK triggers
            cursor.execute("SET synchronous_commit = off")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")


def set_extents(streams: list[Any]) -> None:
    """phenomenonTime of each Datastream, as insert_groups would have kept it."""
    from django.db.models import Max, Min

    from smartcity.sensors.models import Datastream, Observation

    spans = Observation.objects.values("datastream").annotate(
        start=Min("phenomenon_time_start"), end=Max("phenomenon_time_start")
    )
    for span in spans:
        Datastream.objects.filter(pk=span["datastream"]).update(
            phenomenon_time_start=span["start"], phenomenon_time_end=span["end"]
        )


def _rows(
    stream: int, feature: int, index: int, first_step: int, steps: int
) -> list[tuple[Any, ...]]:
    """One observation a minute for ``steps`` minutes, in the layout of ingest.COLUMNS
    (without the id)."""
    rows = []
    for step in range(first_step, first_step + steps):
        value = round(10.0 + (step * 7 + index) % 300 / 10, 1)
        rows.append(
            (
                START + timedelta(minutes=step),
                None,
                None,
                value,
                value,
                None,
                None,
                None,
                None,
                stream,
                None,
                feature,
            )
        )
    return rows


def analyze() -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        # On PostgreSQL also VACUUM: otherwise autovacuum sets the visibility map of the
        # freshly inserted table while the measurement runs, and takes CPU from it.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - began


if __name__ == "__main__":
    raise SystemExit(main())
