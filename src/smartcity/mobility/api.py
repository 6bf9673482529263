"""The mobility JSON API under ``/api/v1/mobility/`` (OpenAPI at /api/openapi.json): what
is near a point, one offer, the hubs (Mobilstationen) with their offers, and the health of
every feed, and a GeoJSON layer per mode. The answers are built by nearby.py and
layers.py; this module only adapts HTTP to them."""

from __future__ import annotations

from datetime import datetime
from datetime import time as dt_time
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from smartcity.core import config
from smartcity.core.errors import BadRequest, NotFound
from smartcity.mobility import board, layers, live_board, nearby, search
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
        "stale). The nearest three stops carry their next three `departures` (with "
        "realtime, as stops/{id}/departures). `distance` is the straight line in metres; "
        "`walkMinutes` an estimate "
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
    found = nearby.nearest(checked)
    offers = [nearby.offer_json(o, now, metres) for o, metres in found]
    live_board.attach(found, offers, now)
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


class BoardQuery(Schema):
    date: str | None = None  # YYYY-MM-DD in the city's time zone; default today
    time: str | None = None  # HH:MM; default now
    limit: int = 20


@router.get(
    "/stops/{offer_id}/departures",
    summary="The next departures from a stop or station, with realtime and alerts",
    description=(
        "The departures of the timetable (GTFS) from the stop offer `offer_id` (a station "
        "with all its platforms) at or after `date` `time` (local time of the city; "
        "default now), earliest first, at most `limit` "
        "(SMARTCITY_MOBILITY_BOARD_MAX_DEPARTURES). Each carries its scheduled time and, "
        "where a realtime feed (GTFS-Realtime) knows the trip, its delay, expected time, "
        "or that it is cancelled or skips the stop; trips a realtime feed adds (NEW, "
        "ADDED) are departures of their own with `added` true. `realtime` says per "
        "realtime feed how fresh it is and whether it was applied (stale realtime is not)."
    ),
)
def stop_departures(request: HttpRequest, offer_id: int, query: Query[BoardQuery]) -> HttpResponse:
    maximum = config.get("MOBILITY_BOARD_MAX_DEPARTURES")
    if not 1 <= query.limit <= maximum:
        raise BadRequest(f"limit must be between 1 and {maximum}")
    now = timezone.now()
    at = _moment(query.date, query.time)
    found = nearby.rows([offer_id]).get(offer_id)
    if found is None:
        raise NotFound(f"there is no offer {offer_id}")
    try:
        answer = live_board.departures(found, at, query.limit, now)
    except live_board.NotAStop as error:
        raise NotFound(str(error)) from None
    return _json({"stop": nearby.offer_json(found, now), "at": at.isoformat(),
                  "generatedAt": now.isoformat(), **answer})  # fmt: skip


def _moment(day: str | None, clock: str | None) -> datetime:
    """The moment a board starts, in the city's time zone."""
    local = timezone.localtime()
    try:
        on = board.parse_day(day) if day else local.date()
    except board.BadDay as error:
        raise BadRequest(str(error), where="date") from None
    try:
        hour = dt_time.fromisoformat(clock) if clock else local.time()
    except ValueError:
        raise BadRequest("time must be HH:MM", where="time") from None
    return datetime.combine(on, hour.replace(tzinfo=None), tzinfo=timezone.get_current_timezone())


class SearchQuery(Schema):
    q: str
    limit: int | None = None  # default 10 (at most the setting)


@router.get(
    "/search",
    summary="Stops and hubs by name",
    description=(
        "The stops (stop offers of the timetables) and hubs (Mobilstationen) whose names "
        "contain every word of `q`, case- and accent-insensitive, with common abbreviations "
        "written out (hbf: Hauptbahnhof, str: Straße, ...), best first, at most `limit` "
        "(SMARTCITY_MOBILITY_SEARCH_MAX_RESULTS). Each has its position and `near`, the "
        "/mobilitaet/ page around it. Addresses are not searched: no geocoder is connected."
    ),
)
def search_places(request: HttpRequest, query: Query[SearchQuery]) -> HttpResponse:
    maximum = config.get("MOBILITY_SEARCH_MAX_RESULTS")
    limit = min(10, maximum) if query.limit is None else query.limit
    if not 1 <= limit <= maximum:
        raise BadRequest(f"limit must be between 1 and {maximum}", where="limit")
    try:
        found = search.find(query.q, limit)
    except search.SearchError as error:
        raise BadRequest(str(error), where="q") from None
    return _json({"query": query.q, "matches": [m.as_json() for m in found]})


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


@router.get(
    "/layers/{mode}",
    summary="The offers of one mode as a GeoJSON layer",
    description=(
        "A GeoJSON FeatureCollection (application/geo+json) of the offers of `mode` "
        "(transit, bike, scooter, moped, car, charging, parking, signal), each a Point with "
        "`id`, `name`, `mode`, `kind`, `provider`, `feed`, `status` (the live status in "
        "short: free vehicles and docks, free charge points, free spaces, a stop's lines), "
        "`statusText` (the same in words, German) and `freshness` (as in nearby), "
        "optionally within `bbox=minlon,minlat,maxlon,maxlat`; by id, at most "
        "SMARTCITY_MOBILITY_LAYERS_MAX_FEATURES features, `truncated` is true when there "
        "were more. An unknown mode is a 404 that lists the modes."
    ),
)
def layer(request: HttpRequest, mode: str, bbox: str | None = None) -> HttpResponse:
    try:
        layers.check_mode(mode)
        area = layers.parse_bbox(bbox)
    except layers.UnknownMode as error:
        raise NotFound(str(error)) from None
    except layers.LayerError as error:
        raise BadRequest(str(error)) from None
    limit = config.get("MOBILITY_LAYERS_MAX_FEATURES")
    body = layers.layer(mode, area, limit, timezone.now())
    return HttpResponse(orjson.dumps(body), content_type="application/geo+json")
