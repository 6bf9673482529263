"""GeoJSON layers per mode: the offers of one mode (transit, bike, scooter, moped, car,
charging, parking, signal) as a FeatureCollection of Points, each with its name, kind,
provider, a short live status and its freshness, for maps and other cities' portals.
Framework-free; the API (api.py) is a thin adapter.

The offers are read through the (mode, lat) index, optionally within a box, by id, at
most ``limit`` of them (``truncated`` says when there were more); their rows and
freshness come from nearby.py, so a layer and ``nearby`` say the same of an offer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smartcity.core.geo import BBox, GeometryError
from smartcity.mobility import nearby, page
from smartcity.mobility.models import Offer

MODES = nearby.MODES
SHARING = ("bike", "scooter", "moped", "car")


class UnknownMode(LookupError):
    """A mode the platform does not know; the message lists the known ones."""


class LayerError(ValueError):
    """A request that cannot be answered as asked (a malformed bbox); the message says why."""


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise UnknownMode(f"there is no layer {mode!r}; the layers: {', '.join(MODES)}")
    return mode


def parse_bbox(text: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in WGS84 degrees (core.geo.BBox), None for none."""
    if text is None or text == "":
        return None
    try:
        return BBox.parse(text)
    except GeometryError as error:
        raise LayerError(f"bbox must be minlon,minlat,maxlon,maxlat: {error}") from None


def _compact(found: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in found.items() if v is not None and v != []}


def _sharing(offer: dict[str, Any]) -> dict[str, Any]:
    status = offer["status"]
    if offer["kind"] == "vehicle":
        return _compact({"available": True, "rangeMeters": status.get("current_range_meters")})
    return _compact({
        "vehiclesAvailable": status.get("num_vehicles_available"),
        "docksAvailable": status.get("num_docks_available"),
        "renting": status.get("is_renting"),
    })  # fmt: skip


def _capacity(details: dict[str, Any]) -> Any:
    capacity = details.get("capacity")
    return capacity.get("total") if isinstance(capacity, dict) else capacity


def summary(offer: dict[str, Any]) -> dict[str, Any]:
    """An offer's live status in short (of a row of nearby.rows or an offer of
    nearby.offer_json): free vehicles and docks of a sharing station, a vehicle's range,
    free and all charge points, free and all parking spaces, a stop's lines, a signal's
    state. Keys without a value are left out; the page's words (page.status_text) say the
    same in German."""
    mode, status, details = offer["mode"], offer["status"], offer["details"]
    if mode in SHARING:
        return _sharing(offer)
    if mode == "charging":
        total = status.get("total") or details.get("chargePointCount")
        return _compact({"free": status.get("free"), "total": total})
    if mode == "parking":
        return _compact({"free": status.get("free"),
                         "capacity": status.get("capacity") or _capacity(details)})  # fmt: skip
    if mode == "transit":
        if offer["kind"] == "vehicle":
            return _compact({"route": status.get("route")})
        lines = [line.get("line") for line in details.get("lines") or [] if line.get("line")]
        return _compact({"lines": lines})
    return _compact({"state": status.get("state")})


def feature(offer: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One offer (a row of nearby.rows) as a GeoJSON Feature."""
    answer = nearby.offer_json(offer, now)
    properties = {
        "id": answer["id"],
        "name": answer["name"],
        "mode": answer["mode"],
        "kind": answer["kind"],
        "provider": answer["provider"],
        "feed": answer["feed"],
        "status": summary(answer),
        "statusText": page.status_text(answer),
        "freshness": answer["freshness"],
        "isDemo": answer["isDemo"],
    }
    return {
        "type": "Feature",
        "id": answer["id"],
        "geometry": {"type": "Point", "coordinates": [answer["lon"], answer["lat"]]},
        "properties": properties,
    }


def layer(mode: str, bbox: BBox | None, limit: int, now: datetime) -> dict[str, Any]:
    """The offers of ``mode`` (within ``bbox``), by id, at most ``limit``, as a GeoJSON
    FeatureCollection; ``truncated`` (a foreign member, RFC 7946 6.1) is true when there
    were more."""
    found = Offer.objects.filter(mode=check_mode(mode))
    if bbox is not None:
        found = found.filter(lat__range=(bbox.min_y, bbox.max_y),
                             lon__range=(bbox.min_x, bbox.max_x))  # fmt: skip
    pks = list(found.order_by("id").values_list("id", flat=True)[: limit + 1])
    rows = nearby.rows(pks[:limit])
    return {
        "type": "FeatureCollection",
        "mode": mode,
        "generatedAt": now.isoformat(),
        "truncated": len(pks) > limit,
        "features": [feature(rows[pk], now) for pk in pks[:limit] if pk in rows],
    }
