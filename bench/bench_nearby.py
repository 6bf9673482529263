"""What is near me: GET /api/v1/mobility/nearby (radius 500 m, every mode, limit 50) at
random points of the city in a store of 50,000 offers, against GET of the SensorThings
service root /sta/v1.1/; sequential requests, the two kinds alternating.

    .venv/bin/python bench/bench_nearby.py [--store sqlite|postgres] [--quick] [--offers N]

The offers (bike stations, scooters, charge points, car parks, stops, signals) are spread
over the city's extent and written through mobility.offers.sync before measuring. Target
(issue 11): the nearby median within 2x of the service-root median.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import textwrap

from _common import PlainClient, heading, median, ms, parse_args, run_sequentially, running_server

TARGET = 2.0  # nearby may take at most this many times the service root
FILL = textwrap.dedent(
    """
    import random, sys
    import django
    django.setup()
    from smartcity.core.city import city
    from smartcity.mobility import feeds, offers
    from smartcity.mobility.offers import OfferRecord
    box, n, rng = city().extent, int(sys.argv[1]), random.Random(11)
    modes = [("bike", "station"), ("scooter", "vehicle"), ("charging", "site"),
             ("parking", "site"), ("transit", "stop"), ("signal", "point"), ("car", "station")]
    feed = feeds.feed("bench", kind="city", provider="Bench")
    def records():
        for i in range(n):
            mode, kind = modes[i % len(modes)]
            yield OfferRecord(f"o{i}", mode, kind, rng.uniform(box.min_y, box.max_y),
                              rng.uniform(box.min_x, box.max_x), f"Offer {i}",
                              details={"capacity": 10}, status={"vehiclesAvailable": i % 7})
    print(offers.sync(feed, records()))
    """
)


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offers", type=int, help="offers in the store (default 50,000)")
    parser.add_argument("--seconds", type=float, help="measuring time (default 10; --quick 3)")


def main() -> None:
    args = parse_args(__doc__.splitlines()[0], options)
    count = args.offers or (10_000 if args.quick else 50_000)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    heading(f"nearby over {count:,} offers vs the service root", args)
    with running_server(args.store) as server:
        env = {**server.env, "DJANGO_SETTINGS_MODULE": "smartcity.settings"}
        done = subprocess.run([sys.executable, "-c", FILL, str(count)], env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"filling failed: {done.stderr[-2000:]}")
        print(f"  filled: {done.stdout.strip()}")
        root = PlainClient(server.root)
        api = PlainClient(server.root.replace("/sta/v1.1/", "/api/v1/mobility/"))
        rng = random.Random(3)
        points = [(rng.uniform(51.62, 51.74), rng.uniform(7.70, 7.98)) for _ in range(5000)]
        found = []

        def nearby(n: int):
            lat, lon = points[n % len(points)]
            answer = api.get("nearby", {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"})
            found.append(answer.content.count(b'"ref"'))
            return answer

        tallies = run_sequentially({"service root": lambda n: root.get(""), "nearby": nearby},
                                   seconds=seconds, max_rounds=5000)
    base, ours = (median(tallies[k].latencies) for k in ("service root", "nearby"))
    for name, tally in tallies.items():
        print(f"  {name:<14} median {ms(median(tally.latencies))}  "
              f"({len(tally.latencies)} requests, {tally.errors} errors)")
    print(f"  offers per nearby answer: median {median([float(f) for f in found]):.0f}")
    ratio = ours / base
    print(f"  nearby / service root: {ratio:.2f}x (target <= {TARGET:g}x: "
          f"{'met' if ratio <= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
