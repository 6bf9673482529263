"""Reading every live mobility source as often as it says: each minute the periodic task
(tasks.py) polls the feeds that are due (``feeds.due``: never read, or their ``ttl``
since the last attempt) by their kind's poller. A poller records its own success or
failure on the feed and never raises for the source's fault; should one raise all the
same (a fault of ours), the failure is recorded on that feed, logged, and the others
are polled all the same. Timetables (GTFS static) are not read here but handed to a task
of their own, since reading one takes minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from smartcity.core.contract import resolve
from smartcity.mobility import feeds
from smartcity.mobility.models import Feed

log = logging.getLogger("smartcity.mobility")

POLLERS = {  # kind: "module:function" (feed, *, now) -> None
    Feed.GTFS_RT: "smartcity.mobility.realtime.poll:poll",
    Feed.GBFS: "smartcity.mobility.gbfs.system:poll",
    Feed.OCPI: "smartcity.mobility.charging.ocpi_poll:poll",
    Feed.BNETZA: "smartcity.mobility.charging.bnetza:poll",
    Feed.PARKAPI: "smartcity.mobility.parking.parkapi:poll",
    Feed.DATEX2: "smartcity.mobility.parking.datex2:poll",
    Feed.OSM: "smartcity.mobility.signals.osm:poll",
}


def due_feeds(now: datetime, kinds: tuple[str, ...]) -> list[Feed]:
    """The feeds of ``kinds`` with an address that are due now (demo feeds are not read)."""
    found = Feed.objects.filter(kind__in=kinds, is_demo=False).exclude(url="")
    return [feed for feed in found if feeds.due(feed, now)]


def poll_due(now: datetime, pollers: dict[str, str] | None = None) -> dict[str, str]:
    """Poll every due feed once; returns each polled feed's key with "ok" or its error."""
    chosen = POLLERS if pollers is None else pollers
    done: dict[str, str] = {}
    for feed in due_feeds(now, tuple(chosen)):
        poller: Callable[..., Any] = resolve(chosen[feed.kind])
        try:
            poller(feed, now=now)
        except Exception as error:  # a fault of ours: this feed fails, the others go on
            log.exception("polling the mobility feed %s failed", feed.key)
            feeds.failed(feed, f"internal error while polling: {type(error).__name__}", at=now)
            done[feed.key] = type(error).__name__
            continue
        feed.refresh_from_db(fields=["error"])
        done[feed.key] = feed.error or "ok"
    return done


def timetables_due(now: datetime) -> list[str]:
    """The GTFS feeds whose timetable is due to be read again (their ``ttl``, say a
    day), each marked as attempted so that the next minute does not hand it over again."""
    keys = []
    for feed in due_feeds(now, (Feed.GTFS,)):
        Feed.objects.filter(pk=feed.pk).update(attempted_at=now)
        keys.append(feed.key)
    return keys
