"""Traffic signals from OpenStreetMap (``smartcity import osm-signals``, feeds of kind
``osm``): the nodes tagged ``highway=traffic_signals`` (and the crossings with signals,
``highway=crossing`` + ``crossing=traffic_signals``) of an Overpass API answer in JSON or
of an ``.osm`` XML extract, cropped to the city's extent, each an offer of mode
``signal``, kind ``point`` (tags.py says which tags are kept).

Both are read as streams: Overpass JSON by its ``elements`` one at a time
(core.sources.json_records), OSM XML through mobility/xmlstream.py (pull-parsed, no DTD,
each node dropped once read), so a city's extract of millions of nodes is never held
whole. ``.pbf`` is not read: no well-kept PBF library is among the platform's dependencies
(pyosmium is not), and it is refused with a message that says how to convert it. An
Overpass ``remark`` that reports an error (a query that timed out sends what it had
found so far) fails the import, so a cut-off answer never removes signals. The feed's
signals are replaced in one transaction (offers.sync)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from smartcity.core.city import city
from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport, run
from smartcity.core.sources import Rejected, Source, SourceError, json_records
from smartcity.mobility import feeds, offers, xmlstream
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import values
from smartcity.mobility.signals import datastreams, tags

NAME = "osm-signals"
FEED_KEY = "osm-signals"
PROVIDER = "OpenStreetMap-Mitwirkende (ODbL)"
OVERPASS = "https://overpass-api.de/api/interpreter"
TTL = 7 * 24 * 3600  # signals change seldom: read once a week
SHAPE = 'expected an Overpass API answer in JSON (an object with "elements")'
PBF = (
    "an OpenStreetMap .pbf extract is not read (no PBF library such as pyosmium is among "
    "the platform's dependencies); convert it, e.g. `osmium tags-filter extract.osm.pbf "
    "n/highway=traffic_signals,crossing -o signals.osm`, or give Overpass JSON"
)


def overpass_url(area: BBox) -> str:
    """An Overpass API query for the signals (and crossings with signals) in ``area``."""
    box = f"{area.min_y},{area.min_x},{area.max_y},{area.max_x}"
    query = (
        f'[out:json][timeout:120];(node["highway"="traffic_signals"]({box});'
        f'node["highway"="crossing"]["crossing"="traffic_signals"]({box}););out body;'
    )
    return f"{OVERPASS}?data={quote(query)}"


def _remark(value: Any) -> None:
    remark = str(value)[:300]
    if "error" in remark.lower():
        raise SourceError(f"the Overpass API reports: {remark}")


def _json_nodes(source: Source) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """(where, id, lat, lon, tags) of each node of an Overpass answer."""
    listed = False
    for record in json_records(source, top=dict, shape=SHAPE, split=("elements",)):
        key = record.path[0]
        if key == "remark":
            _remark(record.value)
        if key != "elements":
            continue
        if len(record.path) == 1:
            if record.value != []:
                raise Rejected("/elements", "elements is not a list")
            listed = True
            continue
        listed = True
        raw = record.value
        if not isinstance(raw, dict):
            yield record.where, None, None, None, raw  # rejected by the caller
        elif raw.get("type") == "node":
            yield record.where, raw.get("id"), raw.get("lat"), raw.get("lon"), raw.get("tags")
    if not listed:
        raise Rejected("/", SHAPE)


def _xml_nodes(source: Source) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """(where, id, lat, lon, tags) of each node of an OSM XML document."""
    for element in xmlstream.elements(source, {"node", "remark"}):
        if xmlstream.local(element.tag) == "remark":
            _remark(element.text or "")
            continue
        found: dict[str, Any] = {}
        for child in element:
            if xmlstream.local(child.tag) == "tag":
                found[child.get("k", "")] = child.get("v", "")
        node_id = element.get("id")
        yield f"node {str(node_id)[:40]}", node_id, element.get("lat"), element.get("lon"), found


def nodes(source: Source) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """The nodes of the source in whichever of the two formats it is."""
    start = source.first_byte()
    if start == b"{":
        return _json_nodes(source)
    if start == b"<":
        return _xml_nodes(source)
    if source.name.lower().endswith(".pbf") or start in (b"\x00", b""):
        raise SourceError(PBF if start else f"{source.name} is empty")
    if start in (b"\xff", b"\xfe"):
        raise SourceError("the document is in UTF-16 or UTF-32; only UTF-8 is read")
    raise SourceError("neither Overpass JSON nor OpenStreetMap XML")


def signals(
    source: Source, report: ImportReport, area: BBox, streams: dict[str, list[int]] | None = None
) -> Iterator[OfferRecord]:
    """The signals inside the area, each with the Datastreams ``streams`` gives its ref."""
    if source.name.lower().endswith(".pbf"):
        raise SourceError(PBF)
    for where, node_id, lat, lon, raw_tags in nodes(source):
        found: OfferRecord | None = None
        with report.record(where):
            if node_id is None and lat is None:
                raise ValueError("expected an element object")
            checked = tags.checked_tags(raw_tags)
            if tags.signal_kind(checked) is None:
                continue
            found = tags.signal(node_id, lat, lon, checked)
        if found is None:
            continue
        if not values.inside(area, found.lat, found.lon):
            report.count("skipped", "signals outside the area")
            continue
        linked = (streams or {}).get(found.details.get("ref") or "")
        if linked:
            found.details["datastreams"] = linked
            report.count("created", "traffic signals with datastreams")
        yield found


def import_into(
    feed: Feed,
    source: Source,
    report: ImportReport,
    *,
    bbox: BBox | None = None,
    now: datetime | None = None,
) -> None:
    """Make the feed's signals those of the source inside ``bbox`` (default: the city),
    in one transaction; a source that cannot be read changes nothing."""
    area = feeds.area(feed, bbox)
    streams = datastreams.by_ref(
        str(feed.options.get("thing_property") or datastreams.DEFAULT_PROPERTY)
    )
    try:
        found = signals(source, report, area, streams)
        written = offers.sync(feed, found, kinds=(Offer.POINT,))
    except (Rejected, SourceError) as error:
        feeds.failed(feed, getattr(error, "reason", None) or str(error), at=now)
        raise
    feeds.delivered(feed, now)
    report.count("created", "traffic signals", written["written"])
    if written["removed"]:
        report.count("skipped", "traffic signals no longer listed (removed)", written["removed"])


def default_feed(key: str = FEED_KEY) -> Feed:
    found = feeds.feed(key, kind=Feed.OSM, provider=PROVIDER, url="", ttl=TTL)
    if found.kind != Feed.OSM:
        raise SourceError(f"the feed {key!r} is a {found.kind} feed, not OpenStreetMap")
    return found


def read(
    source: Source, report: ImportReport, *, feed: str | None = None, bbox: BBox | None = None
) -> None:
    """The importer's read: into the feed ``feed`` (default ``osm-signals``); a feed
    without an address keeps the https address it was read from, so polling reads it
    again."""
    target = default_feed(feed or FEED_KEY)
    if not target.url and source.name.startswith("https://") and len(source.name) <= 500:
        target.url = source.name
        target.save(update_fields=["url"])
    import_into(target, source, report, bbox=bbox)


def locate(*, feed: str | None = None, bbox: BBox | None = None) -> str:
    """The feed's address, else an Overpass query for the area (default: the city)."""
    known = Feed.objects.filter(key=feed or FEED_KEY, kind=Feed.OSM).first()
    return (known.url if known else "") or overpass_url(bbox or city().extent)


def poll(feed: Feed, *, now: datetime) -> None:
    """Read the feed's address (an Overpass query or an extract over https) again; never
    raises for the source's fault: a failure is recorded on the feed."""
    try:
        importer = Importer(NAME, IMPORTER.help, partial(import_into, feed, now=now), locate)
        report = run(importer, feed.url)
        if report.failure and not feed.error:
            feeds.failed(feed, report.failure, at=now)
    except (OSError, ValueError) as error:
        feeds.failed(feed, f"cannot read {feed.url}: {error}", at=now)


IMPORTER = Importer(
    NAME,
    "traffic signals with their aids for blind people from OpenStreetMap (Overpass JSON, .osm)",
    read,
    locate,
)
