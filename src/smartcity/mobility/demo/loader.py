"""Write the demo city's mobility: the timetable through the real ``gtfs`` importer, its
realtime through the realtime reader, sharing, charging and parking as offers of demo
feeds, and the Mobilstation at the Hauptbahnhof. Every feed and the hub are marked as
demo data (``is_demo``), and every name of a place that is not real says "(Demo)".

Idempotent: the timetable is loaded once and again only when less than half a year of its
calendar is left; the offers of the other feeds are written anew on each run (the same
places and figures: nothing is added, only their snapshot time moves to the load), and
the realtime is a new snapshot. The counts say what was added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from django.db.models import Max
from django.utils import timezone

from smartcity.core import importers
from smartcity.mobility import feeds, offers
from smartcity.mobility.charging import bnetza
from smartcity.mobility.demo import realtime, sharing, sites, timetable
from smartcity.mobility.demo.places import MOBILSTATION
from smartcity.mobility.models import Feed, GbfsFile, Hub, Service, Stop, TransitVersion, Trip
from smartcity.mobility.offers import OfferRecord

Progress = Callable[[str, int, int], None]
GTFS_KEY = "demo-gtfs"
KEEP = timedelta(days=182)  # a timetable with less calendar left than this is loaded anew
HUB_KEY = "mobilstation-hauptbahnhof"
STAGES = 6

# key, kind, provider, ttl, the offers as of a moment
OfferFeeds = tuple[tuple[str, str, str, int, Callable[[datetime], list[OfferRecord]]], ...]
OFFER_FEEDS: OfferFeeds = (
    ("demo-metropolradruhr", Feed.GBFS, "metropolradruhr (Demo)", 900, sharing.bike_stations),
    ("demo-escooter", Feed.GBFS, "E-Scooter Hamm (Demo)", 900,
     lambda now: list(sharing.scooters(now))),
    ("demo-carsharing", Feed.GBFS, "Carsharing Hamm (Demo)", 900,
     lambda now: [sharing.car_station(now)]),
    ("demo-laden", Feed.OCPI, "Ladenetz Stadtwerke Hamm (Demo)", 900, sites.charging_sites),
    ("demo-parken", Feed.CITY, "Parken in Hamm (Demo)", 900, sites.parking_sites),
)  # fmt: skip


def load_demo(
    *, days: int = 28, now: datetime | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Build the demo city's mobility (``days`` is the sensors' and is not used here);
    return how many of each were added."""
    moment = now or timezone.now()
    counts = dict.fromkeys(("transit stops", "transit trips", "mobility offers", "hubs",
                            "trip updates", "service alerts"), 0)  # fmt: skip
    report = progress or (lambda stage, done, total: None)
    report("Mobilität: Fahrplan", 0, STAGES)
    timetable_feed = _timetable(timezone.localtime(moment).date(), counts)
    report("Mobilität: Sharing, Laden, Parken", 1, STAGES)
    for key, kind, provider, ttl, make in OFFER_FEEDS:
        counts["mobility offers"] += _offers(key, kind, provider, ttl, make(moment), moment)
    counts["mobility offers"] += _register()
    report("Mobilität: Mobilstation", 4, STAGES)
    counts["hubs"] += _hub()
    report("Mobilität: Echtzeit", 5, STAGES)
    updates, alerts, created = realtime.snapshot(timetable_feed, moment)
    if created:
        counts["trip updates"], counts["service alerts"] = updates, alerts
    report("Mobilität: fertig", STAGES, STAGES)
    return counts


def _demo_feed(key: str, kind: str, provider: str, ttl: int) -> Feed:
    found = feeds.feed(key, kind=kind, provider=provider, is_demo=True, ttl=ttl)
    if not found.is_demo:  # a feed of that key the team made: mark it as what it holds
        Feed.objects.filter(pk=found.pk).update(is_demo=True)
        found.is_demo = True
    return found


def _timetable(today: date, counts: dict[str, int]) -> Feed:
    """Load the generated GTFS feed unless one with enough calendar left is in use."""
    target = _demo_feed(GTFS_KEY, Feed.GTFS, "Stadtwerke Hamm (Demo)", 86_400)
    active = TransitVersion.objects.filter(feed=target, active=True).first()
    if active is not None:
        last = Service.objects.filter(version=active).aggregate(last=Max("end_date"))["last"]
        if last is not None and last >= today + KEEP:
            return target
    report = importers.run(importers.get("gtfs"), timetable.build(today), feed=GTFS_KEY)
    if report.failure or report.rejected:
        raise RuntimeError(f"the demo timetable did not load: {report.failure or report.rejected}")
    version = TransitVersion.objects.get(feed=target, active=True)
    if active is None:
        counts["transit stops"] = Stop.objects.filter(version=version).count()
        counts["transit trips"] = Trip.objects.filter(version=version).count()
    target.refresh_from_db()
    return target


def _offers(key: str, kind: str, provider: str, ttl: int, records: list[OfferRecord],
            now: datetime) -> int:  # fmt: skip
    """Write the feed's offers; the number that were not there before."""
    target = _demo_feed(key, kind, provider, ttl)
    known = set(target.offers.values_list("ref", flat=True))
    offers.sync(target, records)
    for name, data in sharing.SYSTEMS.get(key, {}).items():
        GbfsFile.objects.update_or_create(
            feed=target,
            name=name,
            defaults={"url": "", "version": "3.0", "ttl": ttl, "last_updated": now,
                      "attempted_at": now, "fetched_at": now, "error": "", "data": data},
        )  # fmt: skip
    feeds.delivered(target, now)
    return sum(record.ref not in known for record in records)


def _register() -> int:
    """The charging sites without live status, through the Ladesäulenregister's reader."""
    target = _demo_feed("demo-ladesaeulenregister", Feed.BNETZA, "Ladesäulenregister (Demo)",
                        bnetza.TTL)  # fmt: skip
    known = set(target.offers.values_list("ref", flat=True))
    reader = importers.Importer(
        bnetza.NAME, bnetza.IMPORTER.help, partial(bnetza.import_into, target), bnetza.locate
    )
    report = importers.run(reader, sites.register_csv())
    if report.failure or report.rejected:
        raise RuntimeError(f"the demo register did not load: {report.failure or report.rejected}")
    refs = set(target.offers.values_list("ref", flat=True))
    return len(refs - known)


def _hub() -> int:
    _found, created = Hub.objects.get_or_create(
        key=HUB_KEY,
        defaults={
            "name": "Mobilstation Hauptbahnhof",
            "description": (
                "Am Willy-Brandt-Platz vor dem Hauptbahnhof: Bus und Bahn, die "
                "Fahrradstation (rund um die Uhr), Leihräder, E-Scooter, Carsharing, "
                "Ladesäulen und Parken an einem Ort. (Demodaten)"
            ),
            "lat": MOBILSTATION[0],
            "lon": MOBILSTATION[1],
            "radius": 250,
            "is_demo": True,
        },
    )
    return int(created)
