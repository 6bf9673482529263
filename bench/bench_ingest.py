"""Bulk ingest: 100,000 observations through POST /sta/v1.1/CreateObservations (OGC 18-088
clause 13.2, dataArray) into one Datastream, against a plain ``executemany`` of the same rows
into a bare indexed table of the same store (sqlite3 / psycopg).

    .venv/bin/python bench/bench_ingest.py [--store sqlite|postgres] [--quick]

Target (issue): ours >= 0.25x the baseline's rows/s, aim 0.5x.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from _common import (
    Server,
    count_observations,
    create_datastreams,
    heading,
    parse_args,
    running_server,
    verdict,
)

TARGET, AIM = 0.25, 0.5
START = datetime(2026, 1, 1, tzinfo=UTC)


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, help="observations in all (default 100,000; "
                                                  "--quick 20,000)")
    parser.add_argument("--per-request", type=int, default=10_000,
                        help="dataArray rows per request (default 10,000)")


def make_rows(count: int) -> list[tuple[str, float]]:
    """(phenomenonTime, result) pairs, one per second, results like temperatures."""
    return [((START + timedelta(seconds=i)).isoformat().replace("+00:00", "Z"),
             round(10.0 + (i % 1000) / 100, 2)) for i in range(count)]


def ingest_over_http(server: Server, stream: int, rows: list[tuple[str, float]],
                     per_request: int) -> float:
    """POST all rows in bodies of ``per_request`` rows, one after another; wall seconds."""
    bodies = [json.dumps([{"Datastream": {"@iot.id": stream},
                           "components": ["phenomenonTime", "result"],
                           "dataArray": [list(r) for r in rows[i:i + per_request]]}]).encode()
              for i in range(0, len(rows), per_request)]
    headers = {"Content-Type": "application/json"}
    with server.client() as client:
        began = time.perf_counter()
        for body in bodies:
            response = client.post("CreateObservations", content=body, headers=headers)
            if response.status_code != 201:
                raise RuntimeError(f"CreateObservations: HTTP {response.status_code}: "
                                   f"{response.text[:500]}")
        return time.perf_counter() - began


def baseline_rows(rows: list[tuple[str, float]]) -> list[tuple[Any, ...]]:
    """What the baseline stores: id, time, result as JSON text and as number, stream, feature."""
    return [(i + 1, t, json.dumps(v), v, 1, 1) for i, (t, v) in enumerate(rows)]


def baseline_sqlite(server: Server, rows: list[tuple[Any, ...]]) -> float:
    """sqlite3.executemany into a fresh file with one index, WAL, one transaction."""
    path = server.data_dir / "baseline.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # as the platform's own settings
        conn.execute("CREATE TABLE observation (id INTEGER PRIMARY KEY, time TEXT NOT NULL, "
                     "result TEXT, result_number REAL, datastream_id INTEGER NOT NULL, "
                     "foi_id INTEGER NOT NULL)")
        conn.execute("CREATE INDEX observation_ds_time ON observation (datastream_id, time)")
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO observation VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        return time.perf_counter() - began
    finally:
        conn.close()


def baseline_sqlite_schema(server: Server, rows: list[tuple[Any, ...]]) -> float:
    """sqlite3.executemany of the same rows into the platform's own observations table
    (its DDL and indexes copied from the store, foreign keys off as sqlite3's default):
    the insert cost our schema has before any of our code runs."""
    store = sqlite3.connect(server.data_dir / "smartcity.sqlite3")
    ddl = [sql for (sql,) in store.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'sensors_observation' AND sql IS NOT NULL "
        "ORDER BY type DESC")]  # the table first, then its indexes
    store.close()
    path = server.data_dir / "baseline_schema.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for statement in ddl:
            conn.execute(statement)
        full = [(i, t.replace("T", " ").rstrip("Z"), None, None, r, n, None, None, None, None,
                 ds, None, foi) for (i, t, r, n, ds, foi) in rows]
        began = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO sensors_observation (id, phenomenon_time_start, "
                         "phenomenon_time_end, result_time, result, result_number, "
                         "result_quality, valid_time_start, valid_time_end, parameters, "
                         "datastream_id, multi_datastream_id, feature_of_interest_id) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", full)
        conn.execute("COMMIT")
        return time.perf_counter() - began
    finally:
        conn.close()


def baseline_postgres(server: Server, rows: list[tuple[Any, ...]]) -> float:
    """psycopg executemany into a fresh (logged) table with one index, one transaction."""
    import psycopg

    with psycopg.connect(server.database_url) as conn:
        conn.execute("CREATE TABLE bench_observation (id bigint PRIMARY KEY, "
                     "time timestamptz NOT NULL, result jsonb, result_number double precision, "
                     "datastream_id bigint NOT NULL, foi_id bigint NOT NULL)")
        conn.execute("CREATE INDEX bench_observation_ds_time "
                     "ON bench_observation (datastream_id, time)")
        conn.commit()
        began = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO bench_observation VALUES (%s, %s, %s, %s, %s, %s)",
                               rows)
        conn.commit()
        return time.perf_counter() - began


def main() -> int:
    args = parse_args(__doc__.splitlines()[0], options)
    count = args.rows or (20_000 if args.quick else 100_000)
    heading(f"bench_ingest: {count:,} observations via CreateObservations", args)
    rows = make_rows(count)
    with running_server(args.store) as server:
        stream = create_datastreams(server, things=1, streams_per_thing=1)[0]
        ours = ingest_over_http(server, stream, rows, args.per_request)
        stored = count_observations(server, stream)
        base_rows = baseline_rows(rows)
        baseline = (baseline_sqlite if args.store == "sqlite" else baseline_postgres)(
            server, base_rows)
        schema_baseline = baseline_sqlite_schema(server, base_rows) \
            if args.store == "sqlite" else None
    ours_rate, base_rate = count / ours, count / baseline
    requests = -(-count // args.per_request)
    print(f"  ours:     {ours_rate:>10,.0f} rows/s  ({count:,} rows in {requests} POSTs of "
          f"<= {args.per_request:,}, {ours:.2f} s, one client)")
    label = "sqlite3" if args.store == "sqlite" else "psycopg"
    print(f"  baseline: {base_rate:>10,.0f} rows/s  ({label} executemany into an indexed "
          f"table, one transaction, {baseline:.2f} s)")
    print(f"  ratio:    {verdict(ours_rate / base_rate, TARGET, AIM)}")
    if schema_baseline is not None:
        schema_rate = count / schema_baseline
        print(f"  schema:   {schema_rate:>10,.0f} rows/s  (sqlite3 executemany of the same rows "
              f"into a copy of our observations table and indexes, {schema_baseline:.2f} s)")
        print(f"  ratio:    {ours_rate / schema_rate:.2f}x of the raw insert into our own schema "
              f"(what the API layer costs on top of it)")
    lost = count - stored
    print(f"  stored:   {stored:,} of {count:,} ($count after ingest)"
          f"{'' if lost == 0 else f'  -- {lost:,} MISSING'}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
