"""The Bundesnetzagentur's Ladesäulenregister (``smartcity import bnetza``): every public
charge point in Germany reported under the Ladesäulenverordnung, published monthly as one
CSV of some 100,000 rows, cropped here to the city's extent.

The file is read as a stream (csv over a text wrapper of the Source, never whole): its
encoding is taken from its first bytes (UTF-8 with or without a byte order mark, else
Windows-1252, which the register has been published in), then the lines of the preamble
(title, "Stand: ...", group headings; their number varies between editions) are skipped
up to the header line, the one that names ``Breitengrad`` and ``Längengrad``. Rows outside
the area are counted and left out before they are mapped; a row whose cells are not what
they should be is rejected with its line and column (bnetza_rows.py maps the rest).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from itertools import chain
from typing import TextIO

from smartcity.core.city import city
from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport, run
from smartcity.core.sources import READ_CHUNK, Chunks, Source, SourceError
from smartcity.mobility import feeds, offers
from smartcity.mobility.charging import bnetza_rows as rows
from smartcity.mobility.models import Feed, Offer
from smartcity.mobility.offers import OfferRecord

NAME = "bnetza"
FEED_KEY = "bnetza"
PROVIDER = "Bundesnetzagentur (Ladesäulenregister, CC BY 4.0)"
URL = (
    "https://data.bundesnetzagentur.de/Bundesnetzagentur/SharedDocs/Downloads/DE/Sachgebiete/"
    "Energie/Unternehmen_Institutionen/E_Mobilitaet/Ladesaeulenregister.csv"
)
TTL = 35 * 24 * 3600  # published monthly: a month and a few days before it counts as old
HEAD_BYTES = 64 * 1024  # the bytes the encoding is told from
MAX_PREAMBLE = 50  # lines before the header line at most
BOM = b"\xef\xbb\xbf"


def encoding_of(head: bytes) -> str:
    """``utf-8-sig`` for a byte order mark, ``utf-8`` when the first bytes are UTF-8,
    else ``cp1252`` (Windows Latin-1, which also reads plain ISO 8859-1 text)."""
    if head.startswith(BOM):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not merely a character cut at the end
            return "cp1252"
    return "utf-8"


def text_of(source: Source) -> tuple[TextIO, str]:
    """The source as text in its encoding, and the encoding; what was read to tell the
    encoding is handed on, so the source is still read once, from its start."""
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = source.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    rest = iter(partial(source.read, READ_CHUNK), b"")
    stream = io.BufferedReader(Chunks(chain([head], rest)), READ_CHUNK)
    encoding = encoding_of(head)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    return text, encoding


def _header(reader: Iterator[list[str]], source: Source) -> rows.Columns:
    for number, row in enumerate(reader, start=1):
        names = [cell.strip().lstrip("\ufeff") for cell in row]
        if rows.LAT in names and rows.LON in names:
            return rows.Columns.of(names)
        if number >= MAX_PREAMBLE:
            break
    raise SourceError(
        f"{source.name}: no header line naming {rows.LAT} and {rows.LON} in its first "
        f"{MAX_PREAMBLE} lines; not the Ladesäulenregister CSV"
    )


def sites(source: Source, report: ImportReport, area: BBox) -> Iterator[OfferRecord]:
    """The rows inside ``area`` as offers, one at a time; the others are counted."""
    text, _encoding = text_of(source)
    reader = csv.reader(text, delimiter=";")
    try:
        columns = _header(reader, source)
        for row in reader:
            source.mark()
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            try:
                lat, lon = rows.position(columns, row)
                if not rows.inside(area, lat, lon):
                    report.count("skipped", "charging sites outside the area")
                    continue
                record = rows.site(columns, row, lat, lon)
            except rows.RowError as error:
                report.reject(f"line {line}, {error.column}", error.why)
                continue
            yield record
    except csv.Error as error:
        raise SourceError(
            f"{source.name} is not a readable CSV near line {reader.line_num}: {error}"
        ) from None


def import_into(
    feed: Feed, source: Source, report: ImportReport, *, bbox: BBox | None = None
) -> None:
    """Make ``feed``'s charging sites the register's rows inside ``bbox`` (default: the
    city's extent) in one transaction; a source that breaks off changes nothing and is
    recorded on the feed, which keeps its last good sites."""
    area = bbox or city().extent
    try:
        written = offers.sync(feed, sites(source, report, area), kinds=(Offer.SITE,))
    except SourceError as error:
        feeds.failed(feed, str(error))
        raise
    feeds.delivered(feed)
    report.count("created", "charging sites", written["written"])
    if written["removed"]:
        report.count("skipped", "charging sites no longer listed (removed)", written["removed"])


def default_feed() -> Feed:
    return feeds.feed(FEED_KEY, kind=Feed.BNETZA, provider=PROVIDER, url=URL, ttl=TTL)


def read(source: Source, report: ImportReport, *, bbox: BBox | None = None) -> None:
    """The importer's read: into the feed ``bnetza``."""
    import_into(default_feed(), source, report, bbox=bbox)


def locate() -> str:
    return URL


def poll(feed: Feed, *, now: datetime) -> None:
    """Read the register again for ``feed`` (its url, default the Bundesnetzagentur's),
    cropped to the city (or ``feed.options["bbox"]``: "W,S,E,N"); never raises for the
    source's fault: a failure is recorded on the feed."""
    try:
        bbox = feeds.area(feed)
        importer = Importer(NAME, IMPORTER.help, partial(import_into, feed, bbox=bbox), locate)
        run(importer, feed.url or URL)  # a failure while reading is recorded on the feed
    except (OSError, ValueError) as error:
        feeds.failed(feed, f"cannot read {feed.url or URL}: {error}", at=now)


IMPORTER = Importer(
    name=NAME,
    help="public charge points from the Bundesnetzagentur's Ladesäulenregister (CSV)",
    read=read,
    locate=locate,
)
