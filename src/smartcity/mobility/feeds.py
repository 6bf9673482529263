"""The health of the mobility feeds: when each last delivered, what went wrong since, and how
old (and so how trustworthy) what it delivered is now.

Every importer records each attempt here: :func:`delivered` after good data,
:func:`failed` with the reason when the source could not be read. A failing feed keeps
its offers; they are shown with their age and marked stale (:func:`freshness`), and the
failure is visible to the team (the admin's list of feeds, ``GET
/api/v1/mobility/feeds``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from smartcity.core.city import city
from smartcity.core.geo import BBox
from smartcity.mobility.models import Feed

STALE_FACTOR = 3  # data older than three of its feed's ttl counts as stale


def feed(key: str, *, kind: str, provider: str, **defaults: Any) -> Feed:
    """The feed of ``key``, created with the given kind, provider and defaults on first use
    (an existing feed keeps what the team has set)."""
    found, _created = Feed.objects.get_or_create(
        key=key, defaults={"kind": kind, "provider": provider, **defaults}
    )
    return found


def delivered(target: Feed, at: datetime | None = None) -> None:
    """The feed delivered good data (at ``at``, default now): its failure count is reset."""
    now = at or timezone.now()
    Feed.objects.filter(pk=target.pk).update(
        attempted_at=now, delivered_at=now, error="", failures=0
    )
    target.attempted_at = target.delivered_at = now
    target.error, target.failures = "", 0


def failed(target: Feed, error: str, at: datetime | None = None) -> None:
    """An attempt to read the feed failed: its offers stay as they were, with their age."""
    now = at or timezone.now()
    Feed.objects.filter(pk=target.pk).update(
        attempted_at=now, error=error[:2000], failures=F("failures") + 1
    )
    target.refresh_from_db(fields=["attempted_at", "error", "failures"])


@dataclass(frozen=True)
class Freshness:
    """How old a piece of information is, and whether it is still to be trusted."""

    observed_at: datetime | None  # when the source observed it (None: never said)
    age: int | None  # seconds, None when unknown
    stale: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "observedAt": self.observed_at.isoformat() if self.observed_at else None,
            "ageSeconds": self.age,
            "stale": self.stale,
        }


def freshness(source: Feed, observed_at: datetime | None, now: datetime) -> Freshness:
    """The freshness of information ``source`` observed at ``observed_at`` (or, where the
    source gives no time per item, when the feed last delivered). Stale when older than
    ``STALE_FACTOR`` times the feed's ttl, or when the feed has never delivered."""
    at = observed_at or source.delivered_at
    if at is None:
        return Freshness(None, None, True)
    age = max(0, int((now - at).total_seconds()))
    limit = timedelta(seconds=STALE_FACTOR * max(source.ttl, 1))
    return Freshness(at, age, now - at > limit)


def area(source: Feed | None, bbox: BBox | None = None) -> BBox:
    """Where a feed's places are kept: ``bbox`` when given, else the feed's option
    ``bbox`` ("W,S,E,N", set by the team), else the city's extent. A malformed option is a
    ValueError (GeometryError) that says why."""
    if bbox is not None:
        return bbox
    given = source.options.get("bbox") if source is not None else None
    return BBox.parse(str(given)) if given else city().extent


def due(source: Feed, now: datetime) -> bool:
    """Whether the feed should be read again: never read, or its ttl since the last try."""
    if source.attempted_at is None:
        return True
    return now - source.attempted_at >= timedelta(seconds=max(source.ttl, 1))
