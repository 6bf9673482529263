"""What is near a point: the offers of every mode within a radius, nearest first, each with
its distance, an estimated walk and the age of what is known about it. Framework-free; the
API (api.py) is a thin adapter.

The search reads a box around the point through the offers' position index, then keeps
those within the radius by great-circle distance. Walking times are an estimate (the
straight line times a detour factor, at an adult's walking pace), not a routed walk: the
platform has no street network, and says so in the answer."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import connection

from smartcity.mobility import feeds
from smartcity.mobility.models import Feed, Hub, Offer

EARTH_RADIUS = 6_371_008.8  # metres (the mean radius)
DETOUR = 1.3  # streets are longer than the straight line
WALKING_SPEED = 4.5 * 1000 / 60  # metres per minute
MODES = tuple(mode for mode, _label in Offer.MODES)


class NearbyError(ValueError):
    """A request that cannot be answered as asked; the message says why."""


@dataclass(frozen=True)
class Query:
    lat: float
    lon: float
    radius: int  # metres
    modes: tuple[str, ...]
    limit: int


def check(
    lat: float,
    lon: float,
    radius: int,
    modes: str | None,
    limit: int,
    *,
    max_radius: int,
    max_limit: int,
) -> Query:
    """The query, checked: a point on Earth, a radius and limit within their settings, and
    known modes (comma-separated; empty: all)."""
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise NearbyError("lat must be a latitude between -90 and 90 degrees")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise NearbyError("lon must be a longitude between -180 and 180 degrees")
    if not 1 <= radius <= max_radius:
        raise NearbyError(f"radius must be between 1 and {max_radius} metres")
    if not 1 <= limit <= max_limit:
        raise NearbyError(f"limit must be between 1 and {max_limit}")
    chosen = tuple(m for m in (modes or "").split(",") if m) or MODES
    unknown = sorted(set(chosen) - set(MODES))
    if unknown:
        raise NearbyError(f"unknown mode(s) {', '.join(unknown)}; known: {', '.join(MODES)}")
    return Query(lat, lon, radius, chosen, limit)


def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(min(1.0, math.sqrt(a)))


def walk_minutes(metres: float) -> int:
    """An estimated walk of a straight-line distance, in whole minutes (at least one)."""
    return max(1, math.ceil(metres * DETOUR / WALKING_SPEED))


def _box(lat: float, lon: float, radius: float) -> tuple[float, float, float, float]:
    dlat = math.degrees(radius / EARTH_RADIUS)
    cos = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(radius / (EARTH_RADIUS * cos)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def nearest(query: Query) -> list[tuple[dict[str, Any], float]]:
    """The offers of the query's modes within its radius, nearest first, at most ``limit``,
    each with its distance in metres. One plain statement: the nearest ``limit`` positions
    in a box around the point (over the covering position index, by the plane distance
    with the point's longitude scale: at these radii it orders as the great circle does to
    well under a metre) and those offers' rows, with their feeds; the great-circle
    distance then keeps the ones within the radius (the ORM's view of the same rows is
    held to this by tests/mobility/test_nearby.py). One statement rather than two: on
    PostgreSQL each costs a round trip and a plan."""
    south, north, west, east = _box(query.lat, query.lon, query.radius)
    scale = math.cos(math.radians(query.lat)) ** 2
    where = "lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s"
    params: list[Any] = [south, north, west, east]
    if set(query.modes) != set(MODES):
        where += f" AND mode IN ({', '.join(['%s'] * len(query.modes))})"
        params += query.modes
    chosen = (
        f"SELECT id FROM {Offer._meta.db_table} WHERE {where}"
        " ORDER BY (lat - %s) * (lat - %s) + (lon - %s) * (lon - %s) * %s, id LIMIT %s"
    )
    params += [query.lat, query.lat, query.lon, query.lon, scale, query.limit]
    found = []
    for row in _read(_ROWS.format(offer=Offer._meta.db_table, feed=Feed._meta.db_table,
                                  pks=chosen), params).values():  # fmt: skip
        metres = distance(query.lat, query.lon, row["lat"], row["lon"])
        if metres <= query.radius:
            found.append((metres, row["id"], row))
    found.sort(key=lambda kept: kept[:2])
    return [(row, metres) for metres, _pk, row in found]


_ROWS = (
    "SELECT o.id, o.mode, o.kind, o.ref, o.name, o.lat, o.lon, o.details, o.status,"
    " o.status_at, f.id, f.key, f.provider, f.ttl, f.delivered_at, f.is_demo, f.kind"
    " FROM {offer} o JOIN {feed} f ON f.id = o.feed_id WHERE o.id IN ({pks})"
)
_COLUMNS = ("id", "mode", "kind", "ref", "name", "lat", "lon", "details", "status", "status_at")


def rows(pks: list[int]) -> dict[int, dict[str, Any]]:
    """The offers of ``pks`` as plain values by id, each with its ``feed``: one statement
    with the feed's columns joined, no model built per offer (the ORM's view of the same
    rows is held to this by tests/mobility/test_nearby.py)."""
    if not pks:
        return {}
    sql = _ROWS.format(
        offer=Offer._meta.db_table, feed=Feed._meta.db_table, pks=", ".join(["%s"] * len(pks))
    )
    return _read(sql, pks)


def _read(sql: str, params: list[Any]) -> dict[int, dict[str, Any]]:
    """The offers a statement of the shape of ``_ROWS`` selects, by id."""
    found: dict[int, dict[str, Any]] = {}
    sources: dict[int, Feed] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for values in cursor.fetchall():
            row = dict(zip(_COLUMNS, values[:10], strict=True))
            row["details"], row["status"] = orjson.loads(values[7]), orjson.loads(values[8])
            row["status_at"] = _aware(values[9])
            feed_id = values[10]
            if feed_id not in sources:
                key, provider, ttl, delivered_at, is_demo, kind = values[11:]
                sources[feed_id] = Feed(
                    pk=feed_id,
                    key=key,
                    provider=provider,
                    ttl=ttl,
                    delivered_at=_aware(delivered_at),
                    is_demo=bool(is_demo),
                    kind=kind,
                )
            row["feed"] = sources[feed_id]
            found[row["id"]] = row
    return found


def _aware(value: Any) -> datetime | None:
    """A time as the store gives it (PostgreSQL: aware; SQLite: ISO text in UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def offer_json(offer: dict[str, Any], now: datetime, metres: float | None = None) -> dict[str, Any]:
    """An offer (a row of :func:`rows`) as the API answers it (docs/mobility.md, "The
    offer model")."""
    feed: Feed = offer["feed"]
    answer: dict[str, Any] = {
        "id": offer["id"],
        "feed": feed.key,
        "provider": offer["details"].get("provider") or feed.provider,
        "mode": offer["mode"],
        "kind": offer["kind"],
        "ref": offer["ref"],
        "name": offer["name"],
        "lat": offer["lat"],
        "lon": offer["lon"],
        "details": offer["details"],
        "status": offer["status"],
        "freshness": feeds.freshness(feed, offer["status_at"], now).as_json(),
        "isDemo": feed.is_demo,
    }
    if metres is not None:
        answer["distance"] = round(metres)
        answer["walkMinutes"] = walk_minutes(metres)
    return answer


def hub_offers(hub: Hub, now: datetime, limit: int) -> dict[str, Any]:
    """A hub with every offer within its radius, nearest first, and their number per mode."""
    query = Query(hub.lat, hub.lon, hub.radius, MODES, limit)
    offers = [offer_json(offer, now, metres) for offer, metres in nearest(query)]
    by_mode: dict[str, int] = {}
    for offer in offers:
        by_mode[offer["mode"]] = by_mode.get(offer["mode"], 0) + 1
    return {"hub": hub_json(hub), "offers": offers, "byMode": by_mode}


def hub_json(hub: Hub) -> dict[str, Any]:
    return {
        "key": hub.key,
        "name": hub.name,
        "description": hub.description,
        "lat": hub.lat,
        "lon": hub.lon,
        "radius": hub.radius,
        "isDemo": hub.is_demo,
    }


def feed_json(feed: Feed, now: datetime) -> dict[str, Any]:
    """A feed's health: when it last delivered, how old that is, what went wrong since."""
    fresh = feeds.freshness(feed, None, now)
    return {
        "key": feed.key,
        "kind": feed.kind,
        "provider": feed.provider,
        "isDemo": feed.is_demo,
        "ttl": feed.ttl,
        "deliveredAt": feed.delivered_at.isoformat() if feed.delivered_at else None,
        "attemptedAt": feed.attempted_at.isoformat() if feed.attempted_at else None,
        "ageSeconds": fresh.age,
        "stale": fresh.stale,
        "error": feed.error,
        "failures": feed.failures,
    }
