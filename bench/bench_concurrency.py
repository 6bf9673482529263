"""Concurrent writes: single-observation POST /sta/v1.1/Observations from 8 client threads
for a fixed time, against GET of the service root /sta/v1.1/ from 8 client threads for the
same time (the cost of the HTTP stack alone; anonymous, as clients read it). For
information it also prints the service root GET sent with the write token, which adds the
token lookup (and on SQLite a database connection) to every request.

    .venv/bin/python bench/bench_concurrency.py [--store sqlite|postgres] [--quick]

Target (issue): POST requests/s >= 0.5x the service-root GET requests/s.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta

import httpx
from _common import (
    CLIENT_THREADS,
    Server,
    Tally,
    count_observations,
    create_datastreams,
    heading,
    ms,
    parse_args,
    run_concurrently,
    running_server,
    verdict,
)

TARGET = 0.5
START = datetime(2026, 1, 1, tzinfo=UTC)
WARMUP_SECONDS = 1.0


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float,
                        help="length of each measurement (default 10; --quick 3)")
    parser.add_argument("--worker-threads", type=int,
                        help="SMARTCITY_WORKER_THREADS of the server (default: its own)")


def measure(server: Server, stream: int, seconds: float) -> dict[str, Tally]:
    headers = {"Content-Type": "application/json"}

    def post(client: httpx.Client, thread: int, n: int) -> httpx.Response:
        # Distinct times per thread and request: thread t owns seconds t, t+8, t+16, ...
        when = START + timedelta(seconds=n * CLIENT_THREADS + thread)
        body = {"result": round(10 + n % 100 / 10, 1),
                "phenomenonTime": when.isoformat().replace("+00:00", "Z"),
                "Datastream": {"@iot.id": stream}}
        return client.post("Observations", content=json.dumps(body), headers=headers)

    def get_root(client: httpx.Client, thread: int, n: int) -> httpx.Response:
        return client.get("")

    def anonymous() -> httpx.Client:
        return server.client(auth=False)

    run_concurrently(anonymous, get_root, seconds=WARMUP_SECONDS)
    return {"root": run_concurrently(anonymous, get_root, seconds=seconds),
            "root_token": run_concurrently(server.client, get_root, seconds=seconds),
            "post": run_concurrently(server.client, post, seconds=seconds)}


def report(name: str, tally: Tally) -> None:
    print(f"  {name:<27}{tally.rate:>8,.0f} req/s  p50 {ms(tally.percentile(0.5)):>9}  "
          f"p95 {ms(tally.percentile(0.95)):>9}  ok {len(tally.latencies):,}  "
          f"errors {tally.errors}" + (f"  (first: {tally.first_error})" if tally.errors else ""))


def main() -> int:
    args = parse_args(__doc__.splitlines()[0], options)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    heading(f"bench_concurrency: {CLIENT_THREADS} clients, {seconds:g} s each", args)
    settings = {"SMARTCITY_WORKER_THREADS": str(args.worker_threads)} if args.worker_threads \
        else {}
    with running_server(args.store, settings) as server:
        stream = create_datastreams(server, things=1, streams_per_thing=1)[0]
        tallies = measure(server, stream, seconds)
        stored = count_observations(server, stream)
    writes, reads = tallies["post"], tallies["root"]
    report("POST Observations:", writes)
    report("GET service root (base):", reads)
    report("  (same, with the token:)", tallies["root_token"])
    print(f"  ratio:    {verdict(writes.rate / reads.rate if reads.rate else 0.0, TARGET)}")
    print(f"  stored:   {stored:,} observations for {len(writes.latencies):,} answered POSTs")
    return 0 if stored == len(writes.latencies) else 1


if __name__ == "__main__":
    raise SystemExit(main())
