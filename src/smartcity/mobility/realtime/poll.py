"""Reading a GTFS-Realtime feed: polled from its https address every ``ttl`` seconds
(``poll``, run by the periodic task), or once from a file (``smartcity import gtfs-rt
--file updates.pb --feed KEY``). Each good read replaces the feed's trip updates, alerts
and vehicles in one transaction; a read that fails keeps them, and they age into stale.

A realtime feed corrects the timetable of the GTFS feed named by its option ``gtfs``
(default ``gtfs``). A message may be at most ``SMARTCITY_MOBILITY_REALTIME_MAX_BYTES``."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from smartcity.core import config
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, SourceError, open_source
from smartcity.mobility import feeds, offers
from smartcity.mobility.models import Feed, Offer, ServiceAlert, TripUpdate
from smartcity.mobility.realtime import decode

NAME = "gtfs-rt"


def read_message(source: Source) -> bytes:
    """The whole message (protobuf is not streamed), within the size limit."""
    limit = config.get("MOBILITY_REALTIME_MAX_BYTES")
    data = source.read(limit + 1)
    if len(data) > limit:
        raise SourceError(
            f"{source.name} is larger than {limit} bytes (SMARTCITY_MOBILITY_REALTIME_MAX_BYTES)"
        )
    return data


def store(target: Feed, data: bytes, report: ImportReport) -> decode.Decoded:
    """Decode and keep one message as the feed's realtime. MessageError when it is no
    usable FeedMessage (nothing is then changed)."""
    decoded = decode.decode(decode.parse(data))
    for where, why in decoded.rejected:
        report.reject(where, why)
    with transaction.atomic():
        TripUpdate.objects.filter(feed=target).delete()
        for update in decoded.trips:
            update.feed = target
        TripUpdate.objects.bulk_create(decoded.trips, batch_size=1000)
        ServiceAlert.objects.filter(feed=target).delete()
        for alert in decoded.alerts:
            alert.feed = target
        ServiceAlert.objects.bulk_create(decoded.alerts, batch_size=1000)
        offers.sync(target, decoded.vehicles, kinds=(Offer.VEHICLE,))
    report.count("created", "trip updates", len(decoded.trips))
    report.count("created", "alerts", len(decoded.alerts))
    report.count("created", "vehicles", len(decoded.vehicles))
    return decoded


def _feed(key: str) -> Feed:
    return feeds.feed(key, kind=Feed.GTFS_RT, provider="GTFS-Realtime", ttl=30)


def read(source: Source, report: ImportReport, *, feed: str = NAME) -> None:
    target = _feed(feed)
    try:
        store(target, read_message(source), report)
    except (decode.MessageError, SourceError) as error:
        feeds.failed(target, str(error))
        raise SourceError(str(error)) from None
    feeds.delivered(target)


def locate(*, feed: str = NAME) -> str:
    url = Feed.objects.filter(key=feed).values_list("url", flat=True).first()
    if not url:
        raise ValueError(f"the feed {feed!r} has no address: give --file or --url")
    return url


def poll(target: Feed, *, now: datetime) -> None:
    """Read the feed from its address once; a failure is recorded, never raised."""
    try:
        with open_source(target.url, timeout=config.get("MOBILITY_POLL_TIMEOUT")) as source:
            store(target, read_message(source), ImportReport())
    except (OSError, ValueError) as error:  # unreachable, cut off, not a FeedMessage
        feeds.failed(target, str(error) or type(error).__name__, at=now)
        return
    feeds.delivered(target, at=now)


IMPORTER = Importer(
    NAME,
    "GTFS-Realtime trip updates, vehicle positions and alerts (protobuf) of a feed",
    read,
    locate,
)
