"""Environment data out: daily means over a year of 10-minute observations of one Datastream
through GET /api/v1/environment/datastreams/N/aggregates?interval=day, against the same
GROUP BY run directly with SQL on the same store; and the newest value of every Datastream
of the Hamm demo (GET /api/v1/environment/latest) against a service-root GET.

    .venv/bin/python bench/bench_aggregates.py [--store sqlite|postgres] [--quick]

Targets (issue 3): the daily means within 2x the direct SQL; the newest values within 3x
the service root.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from _common import (
    PlainClient,
    Server,
    create_datastreams,
    heading,
    ms,
    parse_args,
    running_server,
    smartcity,
)

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
ROWS_PER_YEAR = 365 * 24 * 6


def post_year(server: Server, stream: int) -> None:
    """A year of 10-minute values through CreateObservations, 10,000 rows a request."""
    rows = [[(YEAR_START + timedelta(minutes=10 * i)).isoformat().replace("+00:00", "Z"),
             round(20 + 15 * ((i % 144) / 144), 2)] for i in range(ROWS_PER_YEAR)]
    with server.client() as client:
        for i in range(0, len(rows), 10_000):
            body = [{"Datastream": {"@iot.id": stream}, "components": ["phenomenonTime", "result"],
                     "dataArray": rows[i:i + 10_000]}]
            response = client.post("CreateObservations", content=json.dumps(body),
                                   headers={"Content-Type": "application/json"})
            if response.status_code != 201:
                raise RuntimeError(f"CreateObservations: {response.status_code} {response.text}")


def direct_sql(server: Server, stream: int) -> Callable[[], Any]:
    """The same daily GROUP BY straight on the store (UTC days: the store's own calendar)."""
    start, end = "2025-01-01 00:00:00", "2026-01-01 00:00:00"
    if server.store == "sqlite":
        conn = sqlite3.connect(server.sqlite_path)
        sql = ("SELECT substr(phenomenon_time_start, 1, 10) AS day, COUNT(result_number), "
               "AVG(result_number), MIN(result_number), MAX(result_number) "
               "FROM sensors_observation WHERE datastream_id = ? AND phenomenon_time_start >= ? "
               "AND phenomenon_time_start < ? GROUP BY day ORDER BY day")
        return lambda: conn.execute(sql, (stream, start, end)).fetchall()
    import psycopg

    pg = psycopg.connect(server.database_url, autocommit=True)
    sql = ("SELECT date_trunc('day', phenomenon_time_start) AS day, COUNT(result_number), "
           "AVG(result_number), MIN(result_number), MAX(result_number) "
           "FROM sensors_observation WHERE datastream_id = %s AND phenomenon_time_start >= %s "
           "AND phenomenon_time_start < %s GROUP BY day ORDER BY day")
    return lambda: pg.execute(sql, (stream, start + "+00", end + "+00")).fetchall()


def timed(call: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return times


def main() -> int:
    args = parse_args(__doc__.splitlines()[0])
    repeat = 20 if args.quick else 100
    heading("bench_aggregates: daily means of a year, newest values of the demo", args)
    with running_server(args.store) as server:
        stream = create_datastreams(server, things=1, streams_per_thing=1)[0]
        post_year(server, stream)
        smartcity(server.env, "demo")
        plain = PlainClient(server.root.removesuffix("sta/v1.1/"))
        query = {"interval": "day", "start": "2025-01-01T00:00:00", "end": "2026-01-01T00:00:00"}
        series = plain.get(f"api/v1/environment/datastreams/{stream}/aggregates", query)
        buckets = json.loads(series.content)["buckets"] if series.status_code == 200 else []
        # local days (UTC+1): the year's last local hour lies beyond the data
        if len(buckets) != 365 or sum(b["count"] for b in buckets) != ROWS_PER_YEAR - 6:
            raise RuntimeError(f"unexpected aggregates answer: {series.content[:300]!r}")
        sql = direct_sql(server, stream)
        if len(sql()) != 365:
            raise RuntimeError("the direct GROUP BY did not find 365 days")
        ours, base, latest, root = [], [], [], []
        for _ in range(repeat):  # alternating, so drift hits all alike
            ours += timed(lambda: plain.get(f"api/v1/environment/datastreams/{stream}/aggregates",
                                            query), 1)
            base += timed(sql, 1)
            latest += timed(lambda: plain.get("api/v1/environment/latest"), 1)
            root += timed(lambda: plain.get("sta/v1.1/"), 1)
        streams = plain.get("api/v1/environment/latest").content.count(b'"datastream"')
        plain.close()
    m = {name: statistics.median(v) for name, v in
         {"ours": ours, "base": base, "latest": latest, "root": root}.items()}
    print(f"  daily means of a year ({ROWS_PER_YEAR:,} rows) over HTTP: median {ms(m['ours'])}")
    print(f"  the same GROUP BY directly with SQL (base):      median {ms(m['base'])}")
    ratio = m["ours"] / m["base"]
    print(f"  ratio:    {ratio:.2f}x (target <= 2x: {'met' if ratio <= 2 else 'MISSED'})")
    print(f"  newest values of all {streams} Datastreams:            median {ms(m['latest'])}")
    print(f"  GET service root (base):                         median {ms(m['root'])}")
    ratio = m["latest"] / m["root"]
    print(f"  ratio:    {ratio:.2f}x (target <= 3x: {'met' if ratio <= 3 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
