"""GTFS static import: `smartcity import gtfs` of a generated feed of 2,000,000 stop times
around Hamm (all in the area: the worst case, everything is written), against gtfs-kit's
`read_feed` of the same archive (pandas, everything in memory), each in its own process;
wall time and peak resident memory of both.

    .venv/bin/python bench/bench_gtfs.py [--store sqlite|postgres] [--quick] [--stop-times N]

Also printed: a second feed that lies mostly outside the area (2 % of its trips run in
Hamm), as the Germany-wide feed does, and the time of just parsing stop_times.txt once
with the csv module (what any streaming reader must spend). Targets (issue 11): the
import within 2x of gtfs-kit's read time, its peak memory below half of gtfs-kit's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import _server_env as store_env
from _common import heading, parse_args, postgres_database, smartcity

STOPS_PER_TRIP = 25
TIME_TARGET, MEMORY_TARGET = 2.0, 0.5
HAMM = (7.70, 51.62, 7.98, 51.74)
READ_CSV = """
import csv, io, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open("stop_times.txt") as raw:
    rows = sum(1 for _ in csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))
print(rows)
"""
GTFS_KIT = """
import sys, gtfs_kit
feed = gtfs_kit.read_feed(sys.argv[1], dist_units="km")
print(len(feed.stop_times))
"""


def generate(path: Path, stop_times: int, inside: float, seed: int = 5) -> None:
    """A feed of ``stop_times`` rows, trips of 25 stops each: a share ``inside`` of the
    trips run in Hamm (among its stops), the others elsewhere (to the north-east), as a
    country's feed has its cities' lines."""
    rng = random.Random(seed)
    west, south, east, north = HAMM
    stops, local = [], max(1, round(2000 * inside))
    for n in range(2000):
        if n < local:
            lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        else:
            lat, lon = rng.uniform(52.0, 53.5), rng.uniform(8.5, 11.0)
        stops.append(f"S{n},Haltestelle {n},{lat:.6f},{lon:.6f}")
    here, there = list(range(local)), list(range(local, 2000)) or list(range(local))
    trips = stop_times // STOPS_PER_TRIP
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as feed:
        feed.writestr("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
                                    "A,Bench,https://example.org,Europe/Berlin\n")
        feed.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n" + "\n".join(stops))
        feed.writestr("routes.txt", "route_id,agency_id,route_short_name,route_type\n"
                      + "\n".join(f"R{n},A,{n},3" for n in range(200)))
        feed.writestr("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,"
                      "saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n")
        feed.writestr("trips.txt", "route_id,service_id,trip_id,trip_headsign\n"
                      + "\n".join(f"R{n % 200},WD,T{n},Ziel {n % 50}" for n in range(trips)))
        with feed.open("stop_times.txt", "w") as raw:
            raw.write(b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
            for trip in range(trips):
                start, line = 5 * 3600 + (trip % 1000) * 60, []
                pool = here if rng.random() < inside else there
                route = rng.sample(pool, min(STOPS_PER_TRIP, len(pool)))
                for seq, stop in enumerate(route, 1):
                    t = start + seq * 120
                    clock = f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
                    line.append(f"T{trip},{clock},{clock},S{stop},{seq}\n")
                raw.write("".join(line).encode())


def measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory (bytes) and output of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out = (process.stdout.read() + process.stderr.read()).decode(errors="replace")  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[:4])} failed:\n{out[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, out


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stop-times", type=int, help="rows of stop_times.txt (2,000,000)")


def run(args: argparse.Namespace, folder: Path, database_url: str) -> None:
    rows = args.stop_times or (200_000 if args.quick else 2_000_000)
    feed, cropped = folder / "feed.zip", folder / "cropped.zip"
    generate(feed, rows, inside=1.0)
    generate(cropped, rows, inside=0.02)
    print(f"  feed: {rows:,} stop times, {feed.stat().st_size / 1e6:.0f} MB zipped")
    env = store_env(folder / "data", database_url)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    smartcity(env, "migrate", "--verbosity", "0")
    python = sys.executable
    raw, _, _ = measured([python, "-c", READ_CSV, str(feed)], env)
    kit, kit_memory, _ = measured([python, "-c", GTFS_KIT, str(feed)], env)
    ours, our_memory, out = measured(
        [python, "-m", "smartcity.cli", "import", "gtfs", "--file", str(feed), "--quiet"], env)
    crop, crop_memory, _ = measured(
        [python, "-m", "smartcity.cli", "import", "gtfs", "--file", str(cropped), "--quiet",
         "--feed", "cropped"], env)
    print(f"  {out.strip().splitlines()[0][:160]}")
    print(f"  csv module, stop_times.txt once: {raw:6.1f} s")
    print(f"  gtfs-kit read_feed:              {kit:6.1f} s, peak {kit_memory / 2**20:6.0f} MiB")
    print(f"  smartcity import gtfs:           {ours:6.1f} s, peak {our_memory / 2**20:6.0f} MiB")
    print(f"  ... 2 % of the trips in the area: {crop:6.1f} s, peak {crop_memory / 2**20:6.0f} MiB")
    for case, seconds, memory in (("all in the area", ours, our_memory),
                                  ("2 % in the area", crop, crop_memory)):
        ratio, share = seconds / kit, memory / kit_memory
        print(f"  {case}: time / gtfs-kit {ratio:.2f}x (target <= {TIME_TARGET:g}x: "
              f"{'met' if ratio <= TIME_TARGET else 'MISSED'}), memory / gtfs-kit "
              f"{share:.2f} (target < {MEMORY_TARGET:g}: "
              f"{'met' if share < MEMORY_TARGET else 'MISSED'})")


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], options)
    heading("GTFS import vs gtfs-kit", args)
    folder = Path(tempfile.mkdtemp(prefix="smartcity_bench_gtfs_"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if args.store == "postgres" else ""
            run(args, folder, url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
