"""Making a loaded timetable the one in use, and removing the ones it replaces.

:func:`activate` turns the new version on, the old one off and the feed's stop offers
(what "nearby" lists) into the new version's stops, in one transaction: a reader sees the
old timetable with its stops or the new one with its stops, never a mix. The old
version's rows are removed afterwards in batches (:func:`remove`), so no long
transaction holds the store; a version left inactive by a crash is removed the same way
before the next load."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from smartcity.mobility import offers
from smartcity.mobility.models import (
    Agency,
    Feed,
    Offer,
    Route,
    Service,
    ServiceDate,
    Stop,
    StopTime,
    TransitVersion,
    Trip,
)
from smartcity.mobility.offers import OfferRecord

REMOVE_BATCH = 20_000
TABLES = (Trip, Stop, Route, Agency, Service, ServiceDate)  # each indexed by version first
TRANSIT_KINDS = (Offer.STOP, Offer.STATION)


def activate(version: TransitVersion, calls: dict[int, set[int]] | None = None) -> dict[str, int]:
    """Make ``version`` its feed's timetable, with the feed's stop offers to match; the
    versions it replaces are removed afterwards. ``calls``: the pks of the stops each route
    (by pk) calls at, as the load noted them (else read from the stop times). Returns the
    offers written and removed."""
    with transaction.atomic():
        replaced = list(
            TransitVersion.objects.filter(feed_id=version.feed_id, active=True)
            .exclude(pk=version.pk)
            .values_list("pk", flat=True)
        )
        TransitVersion.objects.filter(pk__in=replaced).update(active=False)
        TransitVersion.objects.filter(pk=version.pk).update(active=True)
        version.active = True
        synced = offers.sync(version.feed, stop_offers(version, calls), kinds=TRANSIT_KINDS)
    for old in replaced:
        remove(old)
    return synced


def remove_stop_times(version_id: int) -> None:
    """Delete a version's stop times, a batch of trips per transaction (through the index
    of each trip's stops)."""
    trips = list(Trip.objects.filter(version_id=version_id).values_list("pk", flat=True))
    for start in range(0, len(trips), 500):
        with transaction.atomic():
            StopTime.objects.filter(trip_id__in=trips[start : start + 500]).delete()


def remove(version_id: int) -> None:
    """Delete a version with all its rows, a batch per transaction."""
    remove_stop_times(version_id)
    for model in TABLES:
        table = model._meta.db_table
        sql = (
            f"DELETE FROM {table} WHERE id IN "
            f"(SELECT id FROM {table} WHERE version_id = %s LIMIT {REMOVE_BATCH})"
        )
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [version_id])
                if cursor.rowcount < REMOVE_BATCH:
                    break
    TransitVersion.objects.filter(pk=version_id).delete()


def leftovers(feed: Feed) -> None:
    """Remove the feed's inactive versions (a load that crashed or failed)."""
    for pk in TransitVersion.objects.filter(feed=feed, active=False).values_list("pk", flat=True):
        remove(pk)


def lines_by_stop(
    version: TransitVersion, calls: dict[int, set[int]] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """The lines that call at each stop (by the stop's pk), by name."""
    rows: Any = [(stop, route) for route, stops in (calls or {}).items() for stop in stops]
    if calls is None:
        rows = (
            StopTime.objects.filter(version=version)
            .values_list("stop_id", "trip__route_id")
            .distinct()
        )
    routes = {route.pk: route for route in Route.objects.filter(version=version)}
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for stop_pk, route_pk in rows:
        route = routes.get(route_pk)
        if route is not None:
            name = route.short_name or route.long_name
            found[stop_pk][name] = {
                "line": name,
                "routeType": route.route_type,
                "color": route.color,
                "textColor": route.text_color,
            }
    return {pk: sorted(lines.values(), key=_line_order) for pk, lines in found.items()}


def _line_order(line: dict[str, Any]) -> tuple[int, str]:
    name = str(line["line"])
    return (int(name) if name.isdigit() else 10**6, name)


def stop_offers(
    version: TransitVersion, calls: dict[int, set[int]] | None = None
) -> Iterator[OfferRecord]:
    """One offer per station with its platforms (a station of location_type 1), or per
    stop that stands alone; only places where some trip calls."""
    stops = list(Stop.objects.filter(version=version, location_type__in=(0, 1)))
    lines = lines_by_stop(version, calls)
    children: dict[str, list[Stop]] = defaultdict(list)
    by_id = {stop.stop_id: stop for stop in stops}
    for stop in stops:
        if stop.parent and stop.parent in by_id:
            children[stop.parent].append(stop)
    for stop in stops:
        if stop.lat is None or stop.lon is None or (stop.parent and stop.parent in by_id):
            continue
        group = [stop, *children.get(stop.stop_id, [])]
        calling = {line["line"]: line for member in group for line in lines.get(member.pk, [])}
        if not calling:
            continue
        yield OfferRecord(
            ref=stop.stop_id,
            mode=Offer.TRANSIT,
            kind=Offer.STATION if stop.location_type == 1 else Offer.STOP,
            lat=stop.lat,
            lon=stop.lon,
            name=stop.name,
            details={
                "stops": [member.stop_id for member in group if member.location_type == 0],
                "platforms": sorted({m.platform for m in group if m.platform}),
                "wheelchair": stop.wheelchair,
                "lines": sorted(calling.values(), key=_line_order),
            },
        )
