"""Latest values: GET /sta/v1.1/Datastreams(N)/Observations?$top=100&$orderby=phenomenonTime
desc in a store of 10 million observations over 100 Datastreams, against GET of the service
root /sta/v1.1/; sequential requests, the two kinds alternating.

    .venv/bin/python bench/bench_latest.py [--store sqlite|postgres] [--quick] [--rows N]

The store is filled directly, not over HTTP (bench/_fill.py: by default a raw executemany
on SQLite / COPY on PostgreSQL in 50k-row transactions; --fill ingest uses the platform's
insert_groups), and ANALYZEd
before measuring. Target (issue): the latest-100 median within 2x of the
service-root median.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
from _common import (
    PlainClient,
    Server,
    Tally,
    create_datastreams,
    heading,
    median,
    ms,
    parse_args,
    run_sequentially,
    running_server,
)

TARGET = 2.0
STREAMS_PER_THING = 10
FILL_TIMEOUT = 3 * 3600.0  # seconds; the fill prints progress on stderr
HERE = Path(__file__).resolve().parent
FILL_METHODS = {"raw": "raw executemany/COPY", "ingest": "ingest.insert_groups"}


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, help="observations in the store (default "
                                                  "10,000,000; --quick 1,000,000)")
    parser.add_argument("--streams", type=int, default=100, help="Datastreams (default 100)")
    parser.add_argument("--seconds", type=float,
                        help="upper bound for the measurement (default 10; --quick 3)")
    parser.add_argument("--fill", choices=("raw", "ingest"), default="raw",
                        help="how bench/_fill.py writes: raw executemany/COPY (default) or "
                             "the platform's ingest.insert_groups (2-8x slower)")
    parser.add_argument("--requests", type=int, default=500,
                        help="upper bound for requests of each kind (default 500)")


def fill(server: Server, streams: list[int], rows: int, via: str) -> dict[str, float]:
    command = [sys.executable, str(HERE / "_fill.py"), "--rows", str(rows), "--via", via,
               "--streams", ",".join(map(str, streams))]
    done = subprocess.run(command, env=server.env, stdout=subprocess.PIPE, text=True,
                          timeout=FILL_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"_fill.py failed ({done.returncode}): {done.stdout[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def check_latest(client: httpx.Client, stream: int) -> None:
    """The answer is what the benchmark claims to measure: 100 rows, newest first."""
    body = client.get(f"Datastreams({stream})/Observations",
                      params={"$top": "100", "$orderby": "phenomenonTime desc"}).json()
    times = [o["phenomenonTime"] for o in body["value"]]
    if len(times) != 100 or times != sorted(times, reverse=True):
        raise RuntimeError(f"unexpected latest-100 answer: {len(times)} rows, {times[:3]}...")


def measure(server: Server, streams: list[int], seconds: float,
            max_requests: int) -> dict[str, Tally]:
    """Both requests with two clients, all four alternating: the standard library's
    http.client (the figure the target is about) and httpx (for comparison)."""
    params = {"$top": "100", "$orderby": "phenomenonTime desc"}
    plain = PlainClient(server.root)
    with server.client(auth=False) as client:
        check_latest(client, streams[0])

        def path(n: int) -> str:
            return f"Datastreams({streams[n % len(streams)]})/Observations"

        requests = {
            "latest": lambda n: plain.get(path(n), params),
            "root": lambda n: plain.get(""),
            "latest_httpx": lambda n: client.get(path(n), params=params),
            "root_httpx": lambda n: client.get(""),
        }
        try:
            run_sequentially(requests, seconds=1.0, max_rounds=20)  # warm-up
            return run_sequentially(requests, seconds=seconds, max_rounds=max_requests)
        finally:
            plain.close()


def report(name: str, tally: Tally) -> None:
    print(f"  {name:<40} median {ms(median(tally.latencies)):>9}  "
          f"p95 {ms(tally.percentile(0.95)):>9}  n {len(tally.latencies)}  "
          f"errors {tally.errors}" + (f" (first: {tally.first_error})" if tally.errors else ""))


def main() -> int:
    args = parse_args(__doc__.splitlines()[0], options)
    rows = args.rows or (1_000_000 if args.quick else 10_000_000)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    heading(f"bench_latest: newest 100 of one Datastream, {rows:,} observations "
            f"over {args.streams} Datastreams", args)
    with running_server(args.store) as server:
        things = -(-args.streams // STREAMS_PER_THING)
        streams = create_datastreams(server, things, STREAMS_PER_THING)[:args.streams]
        began = time.perf_counter()
        filled = fill(server, streams, rows, args.fill)
        print(f"  fill:     {filled['rows'] / filled['fill_seconds']:>10,.0f} rows/s  "
              f"({filled['rows']:,.0f} rows, {FILL_METHODS[args.fill]}, in "
              f"{filled['fill_seconds']:.1f} s; ANALYZE {filled['analyze_seconds']:.1f} s; "
              f"total {time.perf_counter() - began:.1f} s)", flush=True)
        tallies = measure(server, streams, seconds, args.requests)
    latest, root = tallies["latest"], tallies["root"]
    report("GET latest 100 ($orderby desc, $top=100):", latest)
    report("GET service root (base):", root)
    ratio = median(latest.latencies) / median(root.latencies)
    met = "met" if ratio <= TARGET else "MISSED"
    print(f"  ratio:    {ratio:.2f}x the service root's median (target <= {TARGET:g}x: {met}; "
          "client: http.client)")
    report("  the same with httpx: latest 100", tallies["latest_httpx"])
    report("  the same with httpx: service root", tallies["root_httpx"])
    slow = median(tallies["latest_httpx"].latencies) / median(tallies["root_httpx"].latencies)
    print(f"  ratio:    {slow:.2f}x with httpx as the client (its parsing of the 50 kB answer "
          "is part of the time)")
    return 0 if not (latest.errors or root.errors) else 1


if __name__ == "__main__":
    raise SystemExit(main())
