"""DATEX II parking (``smartcity import datex2``, feeds of kind ``datex2``): the Parking
Publication Light, in which each ``parkingSite`` holds its place and its free spaces, and
the full parking profile's two publications, the ``parkingTablePublication`` (the sites)
and the ``parkingStatusPublication`` (their status), as German cities publish them
through the Mobilithek. The XML is pull-parsed a site at a time through
mobility/xmlstream.py (no DTD, so no entity expansion and no external entities; see
there); the mapping is datex2_records.py.

A publication with sites makes the feed's sites exactly those inside the city's extent
(or ``bbox``), in one transaction; a status publication only writes the status of the
sites the feed has (offers.update_status), so the table and the status can come from two
addresses (``feed.url`` for the one, ``options["status_url"]`` for the other, both
polled). A publication with neither is refused, so that it never empties the feed."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from functools import partial

from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport, run
from smartcity.core.sources import Source, SourceError
from smartcity.mobility import feeds, offers, xmlstream
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import datex2_records as records
from smartcity.mobility.parking import values

NAME = "datex2"
FEED_KEY = "datex2"
PROVIDER = "DATEX II (Mobilithek)"
TTL = 300
SITES = {"parkingSite": records.light_site, "parkingRecord": records.table_record}
STATUSES = "parkingRecordStatus"
Item = tuple[str, ET.Element]


def items(source: Source) -> Iterator[Item]:
    """(local name, element) of every site and status, in the order they stand."""
    for element in xmlstream.elements(source, {*SITES, STATUSES}):
        yield xmlstream.local(element.tag), element


def _where(name: str, element: ET.Element, number: int) -> str:
    ref = element.get("id")
    if ref is None and name == STATUSES:
        reference = records.child(element, "parkingRecordReference")
        ref = reference.get("id") if reference is not None else None
    return f"{name} {number}" + (f" ({ref[:60]})" if ref else "")


def sites(
    stream: Iterator[Item],
    report: ImportReport,
    area: BBox,
    statuses: list[records.StatusRow],
) -> Iterator[OfferRecord]:
    """The sites inside the area; the statuses met on the way go to ``statuses``."""
    for number, (name, element) in enumerate(stream, start=1):
        where = _where(name, element, number)
        if name == STATUSES:
            with report.record(where):
                statuses.append(records.record_status(element))
            continue
        found: OfferRecord | None = None
        with report.record(where):
            found = SITES[name](element)
        if found is None:
            continue
        if not values.inside(area, found.lat, found.lon):
            report.count("skipped", "parking sites outside the area")
            continue
        yield found


def _statuses(feed: Feed, stream: Iterator[Item], report: ImportReport) -> None:
    rows: list[records.StatusRow] = []
    for number, (name, element) in enumerate(stream, start=1):
        with report.record(_where(name, element, number)):
            if name != STATUSES:
                raise ValueError("a status publication holds a site")
            rows.append(records.record_status(element))
    written = offers.update_status(feed, rows)
    report.count("created", "parking statuses", written)
    if len(rows) > written:
        report.count("skipped", "statuses of sites the feed does not have", len(rows) - written)


def import_into(
    feed: Feed,
    source: Source,
    report: ImportReport,
    *,
    bbox: BBox | None = None,
    now: datetime | None = None,
) -> None:
    """Read one publication into ``feed`` (see the module); a source that cannot be read
    changes nothing and is recorded on the feed."""
    area = feeds.area(feed, bbox)
    try:
        stream = items(source)
        first = next(stream, None)
        if first is None:
            raise SourceError("no parkingSite, parkingRecord or parkingRecordStatus in it")
        stream = itertools.chain([first], stream)
        if first[0] == STATUSES:
            _statuses(feed, stream, report)
        else:
            late: list[records.StatusRow] = []
            written = offers.sync(feed, sites(stream, report, area, late), kinds=(Offer.SITE,))
            report.count("created", "parking sites", written["written"])
            if written["removed"]:
                report.count("skipped", "parking sites no longer listed", written["removed"])
            if late:
                report.count("created", "parking statuses", offers.update_status(feed, late))
    except SourceError as error:
        feeds.failed(feed, str(error), at=now)
        raise
    feeds.delivered(feed, now)


def default_feed(key: str = FEED_KEY, url: str = "") -> Feed:
    found = feeds.feed(key, kind=Feed.DATEX2, provider=PROVIDER, url=url, ttl=TTL)
    if found.kind != Feed.DATEX2:
        raise SourceError(f"the feed {key!r} is a {found.kind} feed, not DATEX II")
    return found


def read(
    source: Source, report: ImportReport, *, feed: str | None = None, bbox: BBox | None = None
) -> None:
    """The importer's read: into the feed ``feed`` (default ``datex2``)."""
    live = source.name.startswith("https://")
    target = default_feed(feed or FEED_KEY, source.name[:500] if live else "")
    import_into(target, source, report, bbox=bbox)


def locate(*, feed: str | None = None) -> str:
    known = Feed.objects.filter(key=feed or FEED_KEY, kind=Feed.DATEX2).first()
    if known is None or not known.url:
        raise ValueError("give the publication (--url or --file) or a DATEX II feed with a URL")
    return known.url


def poll(feed: Feed, *, now: datetime) -> None:
    """Read the feed's publication (``url``), then its status publication
    (``options["status_url"]``) where it has one; never raises for the source's fault."""
    importer = Importer(NAME, IMPORTER.help, partial(import_into, feed, now=now), locate)
    for url in filter(None, (feed.url, feed.options.get("status_url"))):
        try:
            run(importer, str(url))
        except (OSError, ValueError) as error:
            feeds.failed(feed, f"cannot read {url}: {error}", at=now)
            return
        feed.refresh_from_db(fields=["error", "attempted_at", "delivered_at"])
        if feed.error and feed.attempted_at != feed.delivered_at:
            return


IMPORTER = Importer(
    NAME,
    "parking sites and their free spaces from DATEX II (Parking Publication Light, or "
    "the parking table and status publications), XML",
    read,
    locate,
)
