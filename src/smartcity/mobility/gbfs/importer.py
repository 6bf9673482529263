"""The importer ``gbfs``: one full read of a GBFS system (every file, whatever its ttl),
from its gbfs.json.

``smartcity import gbfs --url https://.../gbfs.json --feed KEY`` reads the system into the
feed ``KEY`` (created on first use, kind ``gbfs``, with that URL, so that polling reads it
from then on); ``--feed KEY`` alone reads a feed whose URL is known; ``--file`` reads a
saved gbfs.json, whose files are then fetched over https as it lists them (a saved
directory or zip of every file is not read). Without ``--feed`` the key is made from the
URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.text import slugify

from smartcity.core.importers import Importer, ImportReport
from smartcity.core.sources import Source, SourceError
from smartcity.mobility import feeds
from smartcity.mobility.gbfs import discovery, documents, system
from smartcity.mobility.models import Feed

NAME = "gbfs"
POLL_EVERY = 60  # a new feed's ttl: GBFS status should be at most 5 minutes old (spec)


def locate(*, feed: str | None = None) -> str:
    """The gbfs.json URL of the known feed ``feed``."""
    found = Feed.objects.filter(key=feed, kind=Feed.GBFS).first() if feed else None
    if found is None or not found.url:
        raise ValueError("give the system's gbfs.json (--url or --file) or a GBFS feed with a URL")
    return found.url


def default_key(where: str) -> str:
    """A feed key from the gbfs.json's URL (host and path), e.g. ``gbfs-example-com-de``."""
    parts = urlsplit(where)
    path = parts.path.removesuffix(".json").removesuffix("gbfs")
    return slugify(f"gbfs {parts.netloc} {path}")[:64].strip("-") or "gbfs"


def read(source: Source, report: ImportReport, *, feed: str | None = None) -> None:
    """Read the gbfs.json in ``source``, then every file it lists, into the feed ``feed``."""
    try:
        raw = documents.read_limited(source, discovery.DISCOVERY, documents.limit())
        gbfs = documents.parse(discovery.DISCOVERY, source.name, raw)
    except documents.FileError as error:
        raise SourceError(str(error)) from None
    live = source.name.startswith("https://")
    key = feed or default_key(source.name)
    host = urlsplit(source.name).netloc or source.name
    target = feeds.feed(
        key, kind=Feed.GBFS, provider=host[:200], url=source.name if live else "", ttl=POLL_EVERY
    )
    if target.kind != Feed.GBFS:
        raise SourceError(f"the feed {key!r} is a {target.kind} feed, not GBFS")
    if live and target.url != source.name:
        target.url = source.name[:500]
        target.save(update_fields=["url"])
    system.read_system(target, now=timezone.now(), report=report, force=True, gbfs=gbfs)


IMPORTER = Importer(
    NAME,
    "bike, scooter, moped and car sharing from a GBFS 2.3 or 3.x system's gbfs.json (--url)",
    read,
    locate,
)
