"""What the API answers of the GBFS systems beyond their offers (which ``nearby`` and
``offers/{id}`` answer): under ``/api/v1/mobility/gbfs/`` each system with its
system_information, vehicle types and pricing plans, the state of each of its files
(version, ttl, last_updated, last fetch, last error), and its geofencing zones and
vehicle availability (v3.1) as the source gives them (GeoJSON for the zones); and under
``city/`` the city's merged GBFS 3.0 feed (publish.py)."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from smartcity.core import config
from smartcity.core.errors import NotFound
from smartcity.mobility.gbfs import discovery, publish
from smartcity.mobility.models import Feed, GbfsFile

router = Router(tags=["Mobilität / mobility"])


def _json(body: Any) -> HttpResponse:
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _file_json(row: GbfsFile) -> dict[str, Any]:
    return {
        "name": row.name,
        "url": row.url,
        "version": row.version,
        "ttl": row.ttl,
        "lastUpdated": _iso(row.last_updated),
        "attemptedAt": _iso(row.attempted_at),
        "fetchedAt": _iso(row.fetched_at),
        "error": row.error,
    }


def _system_json(feed: Feed, rows: dict[str, GbfsFile], *, full: bool) -> dict[str, Any]:
    def data(name: str) -> Any:
        row = rows.get(name)
        return row.data if row is not None and row.fetched_at is not None else None

    found = rows.get(discovery.DISCOVERY)
    body: dict[str, Any] = {
        "feed": feed.key,
        "provider": feed.provider,
        "url": feed.url,
        "version": found.version if found is not None else None,
        "systemInformation": data(discovery.SYSTEM),
        "files": [_file_json(row) for row in rows.values()],
    }
    if full:
        body["vehicleTypes"] = (data(discovery.VEHICLE_TYPES) or {}).get("vehicle_types", [])
        body["pricingPlans"] = (data(discovery.PRICING) or {}).get("plans", [])
    return body


def _rows(feed: Feed) -> dict[str, GbfsFile]:
    return {row.name: row for row in GbfsFile.objects.filter(feed=feed).order_by("name")}


def _feed(key: str) -> Feed:
    found = Feed.objects.filter(key=key, kind=Feed.GBFS).first()
    if found is None:
        raise NotFound(f"there is no GBFS system {key!r}")
    return found


@router.get("/", summary="The GBFS systems (bike, scooter, moped and car sharing)")
def systems(request: HttpRequest) -> HttpResponse:
    every = Feed.objects.filter(kind=Feed.GBFS).order_by("key")
    return _json([_system_json(feed, _rows(feed), full=False) for feed in every])


@router.get(
    "/{key}",
    summary="One GBFS system: its information, vehicle types, pricing plans and files",
    description="Each file with its GBFS version, ttl, the source's last_updated, when it "
    "was last fetched and the last error; the GBFS objects as the source gives them.",
)
def one_system(request: HttpRequest, key: str) -> HttpResponse:
    feed = _feed(key)
    return _json(_system_json(feed, _rows(feed), full=True))


def _kept(key: str, name: str) -> dict[str, Any]:
    row = GbfsFile.objects.filter(feed=_feed(key), name=name, fetched_at__isnull=False).first()
    if row is None:
        raise NotFound(f"the GBFS system {key!r} has no {name} (yet)")
    return {"lastUpdated": _iso(row.last_updated), **row.data}


@router.get(
    "/{key}/geofencing_zones",
    summary="A GBFS system's geofencing zones (GeoJSON) and rules",
    description="`geofencing_zones` is a GeoJSON FeatureCollection of MultiPolygons, each "
    "with its rules (where riding, ending a ride or parking is allowed, speed limits); "
    "v3.x adds `global_rules` for everywhere outside the zones.",
)
def geofencing(request: HttpRequest, key: str) -> HttpResponse:
    return _json(_kept(key, discovery.GEOFENCING))


@router.get(
    "/{key}/vehicle_availability",
    summary="When a GBFS system's vehicles can be booked (GBFS 3.1)",
    description="Per vehicle its station and the time slots it is available in.",
)
def availability(request: HttpRequest, key: str) -> HttpResponse:
    return _json(_kept(key, discovery.AVAILABILITY))


# The city's merged GBFS 3.0 feed (publish.py)


def _city_url(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(request.path.rsplit("/", 1)[0] + f"/{name}.json")


@router.get(
    "/city/gbfs.json",
    summary="The city's merged GBFS 3.0 feed: its discovery file (gbfs.json)",
    description="Every GBFS system of the city in one GBFS 3.0 feed, the ids of each "
    "prefixed with its feed key and a colon (`KEY:id`); systems whose data is stale are "
    "left out. Lists the files the merged feed has now.",
)
def city_gbfs(request: HttpRequest) -> HttpResponse:
    body = publish.merged(timezone.now())
    return _json(publish.discovery_file(body, lambda name: _city_url(request, name)))


@router.get(
    "/city/{name}.json",
    summary="One file of the city's merged GBFS 3.0 feed",
    description="`name`: system_information, vehicle_types, station_information, "
    "station_status, vehicle_status, system_pricing_plans, geofencing_zones (those gbfs.json "
    "lists). Stations and vehicles: at most SMARTCITY_MOBILITY_GBFS_PUBLISH_MAX_PLACES each; "
    "`data._truncated` is true when there were more.",
)
def city_file(request: HttpRequest, name: str) -> HttpResponse:
    if name not in publish.FILES:
        raise NotFound(
            f"the merged GBFS feed has no file {name!r}; its files: {', '.join(publish.FILES)}"
        )
    body = publish.merged(timezone.now())
    found = publish.document(body, name, config.get("MOBILITY_GBFS_PUBLISH_MAX_PLACES"))
    if found is None:
        raise NotFound(f"no GBFS system of the city has {name} now (see gbfs.json)")
    return _json(found)
