"""The mobility JSON API under ``/api/v1/mobility/`` (OpenAPI at /api/openapi.json): what
is near a point, one offer, the hubs (Mobilstationen) with their offers, and the health of
every feed. The answers are built by nearby.py; this module only adapts HTTP to it."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from smartcity.core import config
from smartcity.core.errors import BadRequest, NotFound
from smartcity.mobility import nearby
from smartcity.mobility.models import Feed, Hub

router = Router(tags=["Mobilität / mobility"])


class NearbyQuery(Schema):
    lat: float
    lon: float
    radius: int = 500
    modes: str | None = None  # comma-separated, e.g. "transit,bike"; empty: every mode
    limit: int = 50


def _json(body: Any) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), content_type="application/json")


@router.get(
    "/nearby",
    summary="Every mobility offer near a point, nearest first",
    description=(
        "Offers of every mode (or of `modes`, comma-separated: transit, bike, scooter, moped, "
        "car, charging, parking, signal) within `radius` metres of `lat`/`lon` (WGS84), "
        "nearest first, at most `limit`. Each offer carries its live status and its "
        "freshness (when the source observed it, its age in seconds, and whether it is "
        "stale). `distance` is the straight line in metres; `walkMinutes` an estimate "
        "(the straight line times 1.3 at 4.5 km/h), not a routed walk. The largest radius "
        "and limit are SMARTCITY_MOBILITY_NEARBY_MAX_RADIUS and "
        "SMARTCITY_MOBILITY_NEARBY_MAX_OFFERS."
    ),
)
def near(request: HttpRequest, query: Query[NearbyQuery]) -> HttpResponse:
    try:
        checked = nearby.check(
            query.lat,
            query.lon,
            query.radius,
            query.modes,
            query.limit,
            max_radius=config.get("MOBILITY_NEARBY_MAX_RADIUS"),
            max_limit=config.get("MOBILITY_NEARBY_MAX_OFFERS"),
        )
    except nearby.NearbyError as error:
        raise BadRequest(str(error)) from None
    now = timezone.now()
    offers = [nearby.offer_json(o, now, metres) for o, metres in nearby.nearest(checked)]
    return _json(
        {
            "center": {"lat": checked.lat, "lon": checked.lon},
            "radius": checked.radius,
            "generatedAt": now.isoformat(),
            "offers": offers,
        }
    )


@router.get("/offers/{offer_id}", summary="One mobility offer with its live status")
def offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    found = nearby.rows([offer_id]).get(offer_id)
    if found is None:
        raise NotFound(f"there is no offer {offer_id}")
    return _json(nearby.offer_json(found, timezone.now()))


@router.get("/hubs", summary="The mobility hubs (Mobilstationen)")
def hubs(request: HttpRequest) -> HttpResponse:
    return _json([nearby.hub_json(hub) for hub in Hub.objects.all()])


@router.get(
    "/hubs/{key}",
    summary="A mobility hub with every offer within its radius",
    description="At most SMARTCITY_MOBILITY_NEARBY_MAX_OFFERS offers, nearest first; "
    "`byMode` counts them per mode.",
)
def hub(request: HttpRequest, key: str) -> HttpResponse:
    found = Hub.objects.filter(key=key).first()
    if found is None:
        raise NotFound(f"there is no hub {key!r}")
    limit = config.get("MOBILITY_NEARBY_MAX_OFFERS")
    return _json(nearby.hub_offers(found, timezone.now(), limit))


@router.get(
    "/feeds",
    summary="The health of every mobility feed",
    description="When each source last delivered, how old that is, whether it is stale "
    "(older than three of its ttl), and the last error with the failures since.",
)
def feed_health(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return _json([nearby.feed_json(feed, now) for feed in Feed.objects.all()])
