"""Reading a GBFS system: each file fetched once its own ttl since the last attempt is
over (or all of them, for a full read), checked, kept and mapped to offers.

:func:`poll` is what the periodic task calls for a feed of kind ``gbfs``; the importer
calls :func:`read_system` with ``force=True``. Per file the platform keeps a
:class:`~smartcity.mobility.models.GbfsFile` row (URL, version, ttl, last_updated, when
fetched, the last error, and the last good data of the reference files). A file that
fails is named in the feed's error and keeps its last good data and offers; the others
are used. station_status is read with station_information whenever that is read (a
station's offer needs both); when only station_status is due, only the stations' live
status is written."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from smartcity.core.importers import ImportReport
from smartcity.mobility import feeds, offers
from smartcity.mobility.gbfs import catalogue, discovery, documents, stations, vehicles
from smartcity.mobility.gbfs.discovery import System
from smartcity.mobility.gbfs.documents import Document, FileError
from smartcity.mobility.models import Feed, GbfsFile, Offer

log = logging.getLogger("smartcity.mobility.gbfs")


@dataclass
class Reading:
    """One read of a system: the files known, what was fetched now, what went wrong."""

    feed: Feed
    now: datetime
    report: ImportReport
    force: bool
    files: dict[str, GbfsFile]
    fetched: dict[str, Document] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def row(self, name: str, url: str) -> GbfsFile:
        if name not in self.files:
            self.files[name] = GbfsFile(feed=self.feed, name=name, url=url)
        return self.files[name]

    def due(self, name: str) -> bool:
        known = self.files.get(name)
        if self.force or known is None or known.attempted_at is None:
            return True
        return self.now - known.attempted_at >= timedelta(seconds=known.ttl)

    def fetch(self, name: str, url: str, document: Document | None = None) -> Document | None:
        """File ``name`` (``document`` if already read), recorded on its row."""
        row = self.row(name, url)
        row.url, row.attempted_at = url[:500], self.now
        try:
            got = document if document is not None else documents.fetch(name, url)
        except FileError as error:
            row.error = error.reason[:2000]
            row.save()
            self.errors.append(str(error))
            self.report.reject(name, error.reason)
            return None
        row.version, row.ttl, row.last_updated = got.version, got.ttl, got.last_updated
        row.fetched_at, row.error = self.now, ""
        if name in discovery.REFERENCE:
            row.data = got.data
        row.save()
        self.fetched[name] = got
        return got


def _system(reading: Reading, given: Document | None) -> System | None:
    """The system's files: from gbfs.json when it is due (or given), else as last found."""
    url = given.url if given is not None else reading.feed.url
    if given is not None or reading.due(discovery.DISCOVERY):
        document = reading.fetch(discovery.DISCOVERY, url, given)
        if document is not None:
            try:
                found = discovery.discover(document)
            except (FileError, KeyError, TypeError) as error:
                reading.errors.append(f"gbfs: {error}")
                return None
            row = reading.files[discovery.DISCOVERY]
            row.data = {"language": found.language, "feeds": found.urls}
            row.save(update_fields=["data"])
            return found
    known = reading.files.get(discovery.DISCOVERY)
    if known is None or not known.data.get("feeds"):
        return None
    return System(known.version, known.data.get("language"), dict(known.data["feeds"]))


def _data(reading: Reading, name: str) -> dict[str, Any] | None:
    if name in reading.fetched:
        return reading.fetched[name].data
    known = reading.files.get(name)
    return known.data if known is not None and known.fetched_at is not None else None


def _catalogue(reading: Reading, system: System) -> catalogue.Catalogue:
    information = _data(reading, discovery.SYSTEM)
    language = catalogue.language_of(system.version, system.language, information)
    return catalogue.Catalogue(
        system.version,
        language,
        catalogue.vehicle_types(_data(reading, discovery.VEHICLE_TYPES), language),
        catalogue.plans(_data(reading, discovery.PRICING), language),
    )


def _known_statuses(feed: Feed) -> dict[str, stations.Status]:
    """The stations' statuses as they are now (for a station_information read while
    station_status failed: the stations keep their last good status)."""
    rows = Offer.objects.filter(feed=feed, kind="station").values_list("ref", "status", "status_at")
    prefix = len(stations.ref(""))
    return {ref[prefix:]: (status, at) for ref, status, at in rows}


def _write_stations(reading: Reading, found: catalogue.Catalogue) -> None:
    information = reading.fetched.get(discovery.STATION_INFORMATION)
    status = reading.fetched.get(discovery.STATION_STATUS)
    report = reading.report
    known = (
        stations.statuses(status.data, status.version, status.last_updated, report)
        if status is not None
        else None
    )
    if information is not None:
        records = stations.records(
            information.data,
            found,
            known if known is not None else _known_statuses(reading.feed),
            report,
        )
        result = offers.sync(reading.feed, records, kinds=("station",))
        report.count("created", "stations", result["written"])
    elif known is not None:
        updates = [(stations.ref(i), s, at) for i, (s, at) in known.items()]
        report.count("created", "station statuses", offers.update_status(reading.feed, updates))


def _write_vehicles(reading: Reading, found: catalogue.Catalogue) -> None:
    for name in (discovery.VEHICLES, discovery.VEHICLES_V2):
        document = reading.fetched.get(name)
        if document is None:
            continue
        records = vehicles.records(
            name, document.data, document.version, found, document.last_updated, reading.report
        )
        result = offers.sync(reading.feed, records, kinds=("vehicle",))
        reading.report.count("created", "vehicles", result["written"])


def read_system(
    feed: Feed,
    *,
    now: datetime,
    report: ImportReport,
    force: bool = False,
    gbfs: Document | None = None,
) -> ImportReport:
    """Read what is due of ``feed``'s system (everything with ``force``; ``gbfs`` is its
    gbfs.json when already read), write the offers and record the attempt on the feed."""
    files = {row.name: row for row in GbfsFile.objects.filter(feed=feed)}
    reading = Reading(feed, now, report, force, files)
    system = _system(reading, gbfs)
    if system is not None:
        for name in discovery.READ:
            url = system.urls.get(name)
            with_information = name == discovery.STATION_STATUS and (
                discovery.STATION_INFORMATION in reading.fetched
            )
            if url is not None and (with_information or reading.due(name)):
                reading.fetch(name, url)
        found = _catalogue(reading, system)
        _write_stations(reading, found)
        _write_vehicles(reading, found)
    elif not reading.errors:
        reading.errors.append("gbfs: the system's gbfs.json was never read")
    _record(reading)
    return report


def _record(reading: Reading) -> None:
    feed, now = reading.feed, reading.now
    if reading.fetched:
        feeds.delivered(feed, now)
    if reading.errors:
        feeds.failed(feed, "; ".join(reading.errors), now)
        log.warning("GBFS feed %s: %s", feed.key, "; ".join(reading.errors))
    elif not reading.fetched:
        Feed.objects.filter(pk=feed.pk).update(attempted_at=now)
        feed.attempted_at = now
    if reading.report.rejected:
        log.info("GBFS feed %s: %d records rejected", feed.key, len(reading.report.rejected))


def poll(feed: Feed, *, now: datetime) -> None:
    """Fetch what is due of ``feed``'s GBFS system, each file by its own ttl, and write its
    offers; a source's fault is recorded on the feed (and its files), never raised."""
    read_system(feed, now=now, report=ImportReport())
