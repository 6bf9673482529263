"""One ParkAPI v3 ParkingSite (an item of ``GET /v3/parking-sites``) as an offer of mode
``parking``, kind ``site``: what seldom changes in ``details`` (name, address, type,
purpose, capacities, opening hours, fee, max height, park & ride), the realtime part in
``status`` (free capacity, realtime opening status) with ``realtime_data_updated_at`` as
its time. The keys are documented in docs/mobility.md ("Parking")."""

from __future__ import annotations

from typing import Any

from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import values
from smartcity.mobility.parking.values import compact, count, flag, text

# the special capacities ParkAPI counts beside the total (capacity_<kind>)
CAPACITY_KINDS = ("disabled", "woman", "family", "charging", "carsharing", "truck", "bus")
TYPES = {  # ParkAPI's ParkingSiteType, in the vocabulary both parking sources share
    "CAR_PARK": "carPark",
    "UNDERGROUND": "underground",
    "ON_STREET": "onStreet",
    "OFF_STREET_PARKING_GROUND": "offStreetParkingGround",
    "BUILDING": "building",
    "WALL_LOOPS": "wallLoops",
    "STANDS": "stands",
    "LOCKERS": "lockers",
    "SHED": "shed",
    "TWO_TIER": "twoTier",
    "LOCKBOX": "lockbox",
    "OTHER": "other",
}
OPENING = {"OPEN": "open", "CLOSED": "closed", "UNKNOWN": "unknown"}


def _type(raw: dict[str, Any]) -> str | None:
    found = text(raw.get("type"), "type")
    if found is None:
        return None
    return TYPES.get(found.upper(), "other")


def _park_and_ride(raw: dict[str, Any]) -> list[str]:
    """The kinds of park & ride (TRAIN, BUS, TRAM, CARPOOL, YES), lower-cased; NO is none."""
    given = raw.get("park_and_ride_type")
    if given is None:
        return []
    if not isinstance(given, list):
        raise ValueError("park_and_ride_type: expected a list")
    kinds = [(text(kind, "park_and_ride_type") or "").lower() for kind in given]
    return [kind for kind in kinds if kind and kind != "no"]


def _capacity(raw: dict[str, Any], prefix: str) -> dict[str, int]:
    """``{"total": capacity, "disabled": capacity_disabled, ...}`` of those given."""
    found = {"total": count(raw.get(prefix), prefix)}
    for kind in CAPACITY_KINDS:
        name = f"{prefix}_{kind}"
        found[kind] = count(raw.get(name), name)
    return {k: v for k, v in found.items() if v is not None}


def details_of(raw: dict[str, Any]) -> dict[str, Any]:
    has_fee = flag(raw.get("has_fee"), "has_fee")
    fee = compact({"hasFee": has_fee, "description": text(raw.get("fee_description"), "fee")})
    return compact(
        {
            "source": "parkapi",
            "type": _type(raw),
            "purpose": (text(raw.get("purpose"), "purpose") or "").lower() or None,
            "address": text(raw.get("address"), "address"),
            "operator": text(raw.get("operator_name"), "operator_name"),
            "description": text(raw.get("description"), "description"),
            "publicUrl": text(raw.get("public_url"), "public_url"),
            "capacity": _capacity(raw, "capacity"),
            "hasRealtimeData": bool(flag(raw.get("has_realtime_data"), "has_realtime_data")),
            "openingHours": text(raw.get("opening_hours"), "opening_hours"),
            "fee": fee,
            "maxHeightCm": count(raw.get("max_height"), "max_height"),
            "maxStaySeconds": count(raw.get("max_stay"), "max_stay"),
            "parkAndRide": _park_and_ride(raw),
            "isSupervised": flag(raw.get("is_supervised"), "is_supervised"),
            "isCovered": flag(raw.get("is_covered"), "is_covered"),
            "hasLighting": flag(raw.get("has_lighting"), "has_lighting"),
            "parkapi": compact(
                {
                    "id": raw.get("id"),
                    "sourceId": raw.get("source_id"),
                    "originalUid": text(raw.get("original_uid"), "original_uid"),
                    "staticDataUpdatedAt": text(
                        raw.get("static_data_updated_at"), "static_data_updated_at"
                    ),
                }
            ),
        }
    )


def status_of(raw: dict[str, Any]) -> dict[str, Any]:
    """The realtime part: ``free`` and ``freeBy`` kind, ``capacity`` (realtime), the
    opening status; empty for a site without realtime data."""
    if not flag(raw.get("has_realtime_data"), "has_realtime_data"):
        return {}
    free = _capacity(raw, "realtime_free_capacity")
    opening = text(raw.get("realtime_opening_status"), "realtime_opening_status") or text(
        raw.get("opening_status"), "opening_status"
    )
    return compact(
        {
            "free": free.pop("total", None),
            "freeBy": free,
            "capacity": _capacity(raw, "realtime_capacity").get("total"),
            "openingStatus": OPENING.get((opening or "").upper(), "unknown" if opening else None),
        }
    )


def ref_of(raw: dict[str, Any]) -> str:
    """ParkAPI's id of the site; else its source and original uid."""
    given = raw.get("id")
    if isinstance(given, int) and not isinstance(given, bool):
        return str(given)
    uid = text(raw.get("original_uid"), "original_uid")
    source = text(raw.get("source_id"), "source_id") or text(raw.get("source_uid"), "source_uid")
    if not uid:
        raise ValueError("the site has neither an id nor an original_uid")
    return f"{source or ''}:{uid}"[:200]


def site(raw: Any) -> OfferRecord:
    """The ParkingSite as an offer; ValueError (with the field) when it is not one."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a ParkingSite object, not {type(raw).__name__}")
    lat, lon = values.position(raw.get("lat"), raw.get("lon"))
    status = status_of(raw)
    at = values.when(raw.get("realtime_data_updated_at"), "realtime_data_updated_at")
    return OfferRecord(
        ref=ref_of(raw),
        mode=Offer.PARKING,
        kind=Offer.SITE,
        lat=lat,
        lon=lon,
        name=text(raw.get("name"), "name") or "",
        details=details_of(raw),
        status=status,
        status_at=at if status else None,
    )
