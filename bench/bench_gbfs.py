"""One full poll of a GBFS 2.3 system of 5,000 stations and 20,000 free-floating vehicles
served over https on loopback, against just json-parsing and schema-validating the same
files (the baseline), in the same run.

    .venv/bin/python bench/bench_gbfs.py [--store sqlite|postgres] [--quick]
                                         [--stations N] [--vehicles N]

The system (bike stations around Hamm, bikes, e-scooters, mopeds and cars of four vehicle
types, two pricing plans, a geofencing zone) is generated, served by an https server on a
free loopback port with a throwaway self-signed certificate, and read by
``mobility.gbfs.system.read_system(force=True)`` in a process set up on a throwaway store
(migrated first): the first poll writes every offer, the second updates them all (the
steady state: every vehicle and station status changes every poll). The baseline is
``orjson.loads`` plus ``validation.check`` of every file's bytes, already in memory: what
the poll cannot avoid. Also printed: the time to download the files alone.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from _common import _server_env, heading, parse_args, postgres_database, smartcity

POLL = textwrap.dedent(
    """
    import sys, tempfile, time
    import orjson
    import django
    django.setup()
    from datetime import UTC, datetime
    sys.path.insert(0, sys.argv[3])
    from _gbfs_system import generate, serving
    from smartcity.core.importers import ImportReport
    from smartcity.core.sources import open_url
    from smartcity.mobility import feeds
    from smartcity.mobility.gbfs import documents, system, validation
    from smartcity.mobility.models import Offer

    files = generate(int(sys.argv[1]), int(sys.argv[2]))
    size = sum(len(body) for body in files.values())
    print(f"  system: {len(files)} files, {size / 1e6:.1f} MB")

    def baseline():
        started = time.perf_counter()
        for name, body in files.items():
            document = orjson.loads(body)
            validation.check(document["version"], name, document)
        return time.perf_counter() - started

    with serving(files, tempfile.mkdtemp()) as base:
        feed = feeds.feed("bench", kind="gbfs", provider="Bench", url=f"{base}/gbfs.json")
        started = time.perf_counter()
        for name in files:
            with open_url(f"{base}/{name}.json", 30) as source:
                documents.read_limited(source, name, 1 << 30)
        fetch = time.perf_counter() - started
        base_times, polls = [baseline()], []
        for run in range(2):
            started = time.perf_counter()
            report = system.read_system(
                feed, now=datetime.now(UTC), report=ImportReport(), force=True
            )
            polls.append(time.perf_counter() - started)
            base_times.append(baseline())
            assert not report.rejected and not report.failure, report
        print(f"  offers: {Offer.objects.filter(feed=feed).count():,} "
              f"({report.created}, skipped {report.skipped})")
    base = min(base_times)
    print(f"  download only (https, loopback): {fetch:.2f} s")
    print(f"  baseline (parse + validate):      {base:.2f} s (best of {len(base_times)})")
    for label, took in zip(("first poll (writes)", "second poll (updates)"), polls):
        print(f"  {label + ':':<33} {took:.2f} s = {took / base:.2f}x the baseline")
    """
)


def options(parser) -> None:
    parser.add_argument("--stations", type=int, help="stations (default 5,000; --quick 1,000)")
    parser.add_argument("--vehicles", type=int, help="vehicles (default 20,000; --quick 4,000)")


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], options)
    stations = args.stations or (1_000 if args.quick else 5_000)
    vehicles = args.vehicles or (4_000 if args.quick else 20_000)
    heading(f"GBFS 2.3 poll of {stations:,} stations and {vehicles:,} vehicles", args)
    import contextlib
    import shutil
    import tempfile
    from pathlib import Path

    data_dir = Path(tempfile.mkdtemp(prefix="smartcity_bench_"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(postgres_database()) if args.store == "postgres" else ""
            env = _server_env(data_dir, url)
            smartcity(env, "migrate", "--verbosity", "0")
            here = str(Path(__file__).resolve().parent)
            done = subprocess.run(
                [sys.executable, "-c", POLL, str(stations), str(vehicles), here],
                env=env,
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
            )
            print(done.stdout, end="")
            if done.returncode != 0:
                raise RuntimeError(f"the poll failed: {done.stderr[-3000:]}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
