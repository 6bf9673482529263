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
from datetime import datetime
from typing import Any

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


def nearest(query: Query) -> list[tuple[Offer, float]]:
    """The offers of the query's modes within its radius, nearest first, at most ``limit``,
    each with its distance in metres. Positions are read first (from the covering
    position index), whole rows only for the offers kept."""
    south, north, west, east = _box(query.lat, query.lon, query.radius)
    rows = Offer.objects.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
    if set(query.modes) != set(MODES):
        rows = rows.filter(mode__in=query.modes)
    found = []
    for pk, lat, lon in rows.values_list("id", "lat", "lon"):
        metres = distance(query.lat, query.lon, lat, lon)
        if metres <= query.radius:
            found.append((metres, pk))
    found.sort()
    kept = found[: query.limit]
    offers = Offer.objects.select_related("feed").only(*_FIELDS).in_bulk([pk for _, pk in kept])
    return [(offers[pk], metres) for metres, pk in kept if pk in offers]


_FIELDS = (
    "id",
    "mode",
    "kind",
    "ref",
    "name",
    "lat",
    "lon",
    "details",
    "status",
    "status_at",
    "feed__key",
    "feed__provider",
    "feed__ttl",
    "feed__delivered_at",
    "feed__is_demo",
)


def offer_json(offer: Offer, now: datetime, metres: float | None = None) -> dict[str, Any]:
    """An offer as the API answers it (docs/mobility.md, "The offer model")."""
    feed: Feed = offer.feed
    answer: dict[str, Any] = {
        "id": offer.pk,
        "feed": feed.key,
        "provider": offer.details.get("provider") or feed.provider,
        "mode": offer.mode,
        "kind": offer.kind,
        "ref": offer.ref,
        "name": offer.name,
        "lat": offer.lat,
        "lon": offer.lon,
        "details": offer.details,
        "status": offer.status,
        "freshness": feeds.freshness(feed, offer.status_at, now).as_json(),
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
