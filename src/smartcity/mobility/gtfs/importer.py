"""The ``gtfs`` importer: a GTFS static feed (a zip archive) from a file or an https URL,
cropped to the city's area (or ``--bbox``), replacing the feed's timetable atomically.

    smartcity import gtfs --file gtfs-de.zip            # the feed "gtfs"
    smartcity import gtfs --url https://.../gtfs.zip --feed delfi

A zip archive is read from its end (the central directory), so a source that cannot seek
(a download) is first spooled to a temporary file on disk, never into memory. The
archive may hold at most ``SMARTCITY_MOBILITY_GTFS_MAX_BYTES`` uncompressed (and as
downloaded). A feed with no stop in the area, or one that lacks a required table, is the
import's failure: the timetable in use stays, and the feed is marked failed."""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from typing import IO, Any

from smartcity.core import config
from smartcity.core.geo import BBox
from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, SourceError
from smartcity.mobility import feeds
from smartcity.mobility.gtfs import load, swap
from smartcity.mobility.gtfs.tables import TableError
from smartcity.mobility.gtfs.writing import Loading
from smartcity.mobility.models import Agency, Feed, TransitVersion

NAME = "gtfs"
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def read(
    source: Source,
    report: ImportReport,
    *,
    bbox: BBox | None = None,
    feed: str = NAME,
    provider: str = "",
) -> None:
    """Load the archive into a new version of ``feed`` and make it the active one."""
    target = feeds.feed(feed, kind=Feed.GTFS, provider=provider or "GTFS")
    limit = config.get("MOBILITY_GTFS_MAX_BYTES")
    try:
        with _seekable(source, limit) as stream:
            loaded, version = _load(stream, source.name, target, bbox, report, limit)
    except SourceError as error:
        raise _failed(target, str(error)) from None
    if not loaded.counts.get("stop_times.txt"):
        swap.remove(version.pk)
        raise _failed(target, "the feed has no stop time in the area; the timetable stays")
    swap.activate(version, loaded.calls)
    _name_provider(target, version, provider)
    feeds.delivered(target)


def _load(
    stream: IO[bytes],
    name: str,
    target: Feed,
    bbox: BBox | None,
    report: ImportReport,
    limit: int,
) -> tuple[Loading, TransitVersion]:
    """Open the archive, check its size, load it into a new version (removed again if
    the load fails); SourceError says why it could not be used."""
    try:
        archive = zipfile.ZipFile(stream)
    except ARCHIVE_ERRORS as error:
        raise SourceError(f"{name} is not a zip archive: {error}") from None
    declared = sum(info.file_size for info in archive.infolist())
    if declared > limit:
        raise SourceError(
            f"the feed holds {declared} bytes uncompressed, more than "
            f"{limit} (SMARTCITY_MOBILITY_GTFS_MAX_BYTES)"
        )
    swap.leftovers(target)
    version = TransitVersion.objects.create(feed=target)
    try:
        return load.load(archive, version, feeds.area(target, bbox), report), version
    except (TableError, SourceError, *ARCHIVE_ERRORS) as error:
        swap.remove(version.pk)
        raise SourceError(f"{name}: {error}") from None


def _failed(target: Feed, why: str) -> SourceError:
    feeds.failed(target, why)
    return SourceError(why)


def _name_provider(target: Feed, version: TransitVersion, provider: str) -> None:
    """A new feed is named after its agencies (the team may rename it)."""
    if provider or target.provider != "GTFS":
        return
    names = list(Agency.objects.filter(version=version).values_list("name", flat=True)[:3])
    if names:
        Feed.objects.filter(pk=target.pk).update(provider=", ".join(names)[:200])


class _seekable:
    """The source itself when it can seek (a file), else a spooled copy on disk."""

    def __init__(self, source: Source, limit: int) -> None:
        self.source, self.limit = source, limit
        self.spool: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.source.seekable():
            return self.source  # type: ignore[return-value]
        self.spool = tempfile.TemporaryFile(prefix="smartcity-gtfs-")
        copied = 0
        while chunk := self.source.read(1 << 20):
            copied += len(chunk)
            if copied > self.limit:
                raise SourceError(
                    f"{self.source.name} is larger than {self.limit} bytes "
                    "(SMARTCITY_MOBILITY_GTFS_MAX_BYTES)"
                )
            self.spool.write(chunk)
        self.spool.seek(0)
        return self.spool

    def __exit__(self, *exc: Any) -> None:
        if self.spool is not None:
            self.spool.close()  # a TemporaryFile has no name: closing removes it


def locate(*, feed: str = NAME) -> str:
    """The feed's address as the team set it in the back office."""
    url = Feed.objects.filter(key=feed).values_list("url", flat=True).first()
    if not url:
        raise ValueError(
            f"the feed {feed!r} has no address: give --file or --url, "
            "or set its address in the back office"
        )
    return url


IMPORTER = Importer(
    NAME,
    "a GTFS timetable (zip), cropped to the city's area; replaces the feed's timetable",
    read,
    locate,
)
