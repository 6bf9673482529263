"""ParkAPI v3 (feeds of kind ``parkapi``): the parking sites of a ParkAPI server's
``GET /v3/parking-sites`` with their realtime free capacity, e.g. MobiData BW's public
server. Every site becomes an offer of mode ``parking``, kind ``site`` (parkapi_sites.py).

The list is paginated by a cursor: each answer is ``{"items": [...], "total_count": n}``
and, while there is more, ``next_path`` (the path and query of the next page) or
``next_id`` (the next ``start``). A poll asks for the sites within a circle around the
city's extent (``lat``, ``lon``, ``radius``; ``options["crop"]: false`` asks for all) and
keeps those inside the extent (or ``options["bbox"]``); next pages are followed only on
the server's own https origin. All pages together are the new truth (offers.sync, in
one transaction): a page that cannot be read changes nothing, and the feed keeps its
last good sites. ``smartcity import parkapi --file F`` reads one saved answer;
``--url`` reads a server's list with its pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from smartcity.core import config
from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Rejected, Source, SourceError, json_records, open_url
from smartcity.mobility import feeds, offers
from smartcity.mobility.charging.ocpi_poll import with_query
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import parkapi_sites, values

NAME = "parkapi"
FEED_KEY = "parkapi"
PROVIDER = "ParkAPI v3 (MobiData BW)"
URL = "https://api.mobidata-bw.de/park-api/api/public/v3/parking-sites"
TTL = 300  # realtime free capacity: most servers refresh every few minutes
PAGE_SIZE = 1000
MAX_PAGES = 200
SHAPE = 'expected a ParkAPI v3 list of parking sites (an object with "items")'


class Page:
    """One answer: its sites (as they stood) and where the next page is."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []
        self.next_path: str | None = None
        self.next_id: Any = None
        self.listed = False


def read_page(source: Source) -> Page:
    """The items of one answer and its cursor; a document that is no such list is
    ``Rejected("/")``, broken JSON a SourceError."""
    page = Page()
    for record in json_records(source, top=dict, shape=SHAPE, split=("items",)):
        key = record.path[0]
        if key == "items":
            if len(record.path) == 2:
                page.items.append((record.where, record.value))
                page.listed = True
            elif record.value == []:
                page.listed = True
            else:
                raise Rejected("/items", "items is not a list of parking sites")
        elif key == "next_path" and isinstance(record.value, str):
            page.next_path = record.value
        elif key == "next_id":
            page.next_id = record.value
    if not page.listed:
        raise Rejected("/", SHAPE)
    return page


def next_url(url: str, page: Page) -> str | None:
    """The next page's address on the same https origin; None after the last page."""
    if page.next_path:
        target = urljoin(url, page.next_path)
        if urlsplit(target)[:2] != urlsplit(url)[:2]:
            raise SourceError(f"the next page {target} is not on the server's origin; not followed")
        return target
    if page.next_id is not None and page.items:
        if not isinstance(page.next_id, int | str) or isinstance(page.next_id, bool):
            raise SourceError(f"next_id {str(page.next_id)[:40]!r} is not a cursor")
        return with_query(url, start=page.next_id)
    return None


def _open(url: str, number: int) -> Page:
    try:
        with open_url(url, config.get("MOBILITY_POLL_TIMEOUT")) as source:
            source.record_limit = config.get("IMPORT_RECORD_BYTES")
            return read_page(source)
    except Rejected as rejected:
        raise SourceError(f"page {number}: {rejected.reason}") from None
    except SourceError:
        raise
    except (OSError, ValueError) as error:
        raise SourceError(f"page {number} ({url.split('?')[0]}): {error}") from None


def pages(first: Page, url: str | None) -> Iterator[tuple[str, Any]]:
    """Every site of the first page, then (for an answer read from ``url``) of the next."""
    page, number, seen = first, 1, {url}
    while True:
        for where, raw in page.items:
            yield (f"page {number}, {where}" if url else where), raw
        following = next_url(url, page) if url else None
        if following is None:
            return
        number += 1
        if number > MAX_PAGES:
            raise SourceError(f"more than {MAX_PAGES} pages; stopped")
        if following in seen:
            raise SourceError(f"page {number} would repeat an earlier page ({following}); stopped")
        seen.add(following)
        url = following
        page = _open(url, number)


def records(
    first: Page, url: str | None, report: ImportReport, area: BBox
) -> Iterator[OfferRecord]:
    for where, raw in pages(first, url):
        found: OfferRecord | None = None
        with report.record(where):
            found = parkapi_sites.site(raw)
        if found is None:
            continue
        if not values.inside(area, found.lat, found.lon):
            report.count("skipped", "parking sites outside the area")
            continue
        yield found


def import_page(
    feed: Feed, first: Page, url: str | None, report: ImportReport, area: BBox, now: datetime | None
) -> None:
    """Make the feed's sites those of every page, in one transaction; a page that cannot
    be read (a SourceError) changes nothing."""
    written = offers.sync(feed, records(first, url, report, area), kinds=(Offer.SITE,))
    feeds.delivered(feed, now)
    report.count("created", "parking sites", written["written"])
    if written["removed"]:
        report.count("skipped", "parking sites no longer listed (removed)", written["removed"])


def area_of(feed: Feed | None, bbox: BBox | None = None) -> BBox:
    return feeds.area(feed, bbox)


def first_url(feed: Feed, area: BBox) -> str:
    """The feed's url asking for a page of sites around the area (unless ``crop`` is off)."""
    size = int(feed.options.get("page_size") or PAGE_SIZE)
    if feed.options.get("crop", True) is False:
        return with_query(feed.url, limit=size)
    lon, lat = area.center
    radius = round(values.radius_of(area))
    return with_query(feed.url, lat=f"{lat:.5f}", lon=f"{lon:.5f}", radius=radius, limit=size)


def poll_report(feed: Feed, *, now: datetime) -> ImportReport:
    """Read every page of the feed's server once (see the module) and say what it did."""
    report = ImportReport()
    try:
        area = area_of(feed)
        url = first_url(feed, area)
        import_page(feed, _open(url, 1), url, report, area, now)
    except (OSError, ValueError) as error:
        report.failure = str(error)
        feeds.failed(feed, report.failure, at=now)
    return report


def poll(feed: Feed, *, now: datetime) -> None:
    """The polling task's entry (kind ``parkapi``): never raises for the server's fault."""
    poll_report(feed, now=now)


def default_feed(url: str = "") -> Feed:
    return feeds.feed(FEED_KEY, kind=Feed.PARKAPI, provider=PROVIDER, url=url or URL, ttl=TTL)


def read(
    source: Source, report: ImportReport, *, feed: str | None = None, bbox: BBox | None = None
) -> None:
    """The importer's read: one saved answer (``--file``), or a server's list with every
    page (``--url``), into the feed ``feed`` (default ``parkapi``)."""
    live = source.name.startswith("https://")
    target = (
        feeds.feed(feed, kind=Feed.PARKAPI, provider=PROVIDER, url=source.name if live else "")
        if feed
        else default_feed()
    )
    if target.kind != Feed.PARKAPI:
        raise SourceError(f"the feed {target.key!r} is a {target.kind} feed, not ParkAPI")
    try:
        first, area = read_page(source), area_of(target, bbox)
        import_page(target, first, source.name if live else None, report, area, None)
    except (Rejected, SourceError) as error:
        feeds.failed(target, getattr(error, "reason", None) or str(error))
        raise


def locate(*, feed: str | None = None) -> str:
    """The first page of the feed's server, around the city."""
    target = Feed.objects.filter(key=feed or FEED_KEY, kind=Feed.PARKAPI).first()
    if target is None:
        target = default_feed()
    return first_url(target, area_of(target))


IMPORTER = Importer(
    NAME,
    "parking sites with realtime free capacity from a ParkAPI v3 server (--url) or answer",
    read,
    locate,
)
