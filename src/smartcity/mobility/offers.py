"""Writing offers: every importer hands its feed's offers here, so that each mode's places
land in the one table that "what is near me" reads.

:func:`sync` makes a feed's offers (of some kinds) exactly the given ones in one
transaction: new ones are added, known ones updated, the ones the source no longer lists
removed. :func:`update_status` writes only the live part (``status``, ``status_at``) of
offers the feed already has, for sources that send their status apart from their places
(GBFS station_status, OCPI EVSE status, ParkAPI realtime)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.mobility.models import Feed, Offer

BATCH = 1000  # rows per statement


@dataclass
class OfferRecord:
    """One offer as an importer has mapped it (see docs/mobility.md for ``details`` and
    ``status`` per mode)."""

    ref: str
    mode: str
    kind: str
    lat: float
    lon: float
    name: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    status: dict[str, Any] = field(default_factory=dict)
    status_at: datetime | None = None


def _batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def sync(
    feed: Feed, records: Iterable[OfferRecord], *, kinds: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Make ``feed``'s offers of ``kinds`` (all kinds if None) exactly ``records``; returns
    the numbers written and removed. A record whose ref repeats an earlier one replaces it."""
    started = timezone.now()
    written = 0
    with transaction.atomic():
        for batch in _batches(records):
            unique = {record.ref: record for record in batch}
            rows = [
                Offer(
                    feed=feed,
                    ref=r.ref,
                    mode=r.mode,
                    kind=r.kind,
                    name=r.name[:300],
                    lat=r.lat,
                    lon=r.lon,
                    details=r.details,
                    status=r.status,
                    status_at=r.status_at,
                    updated_at=started,
                )
                for r in unique.values()
            ]
            Offer.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["feed", "ref"],
                update_fields=[
                    "mode",
                    "kind",
                    "name",
                    "lat",
                    "lon",
                    "details",
                    "status",
                    "status_at",
                    "updated_at",
                ],
            )
            written += len(rows)
        gone = Offer.objects.filter(feed=feed, updated_at__lt=started)
        if kinds is not None:
            gone = gone.filter(kind__in=kinds)
        removed, _ = gone.delete()
    return {"written": written, "removed": removed}


def update_status(
    feed: Feed, statuses: Iterable[tuple[str, dict[str, Any], datetime | None]]
) -> int:
    """Write ``(ref, status, status_at)`` onto the feed's offers of those refs; refs the
    feed has no offer for are left out. Returns the number of offers updated."""
    updated = 0
    with transaction.atomic():
        for batch in _batches(statuses):
            by_ref = {ref: (status, at) for ref, status, at in batch}
            known = Offer.objects.filter(feed=feed, ref__in=list(by_ref)).only("id", "ref")
            rows = []
            for offer in known:
                offer.status, offer.status_at = by_ref[offer.ref]
                rows.append(offer)
            Offer.objects.bulk_update(rows, ["status", "status_at"], batch_size=BATCH)
            updated += len(rows)
    return updated
