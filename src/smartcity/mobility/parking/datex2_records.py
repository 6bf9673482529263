"""DATEX II parking elements as offers and statuses, by their local names (the namespace
prefixes and versions publishers use differ; the names are DATEX II's):

- the Parking Publication Light (``parkingPublicationLight``): each ``parkingSite``
  (``id`` attribute) with ``name``, ``type``, ``numberOfSpaces``, ``availableSpaces``,
  ``isOpenNow``, ``temporaryClosed``, ``lastUpdate``, ``locationAndDimension`` /
  ``coordinatesForDisplay``, ``assignedFor``, ... holds its place and its status at once;
- the full parking profile: a ``parkingTablePublication``'s ``parkingRecord`` (the site:
  ``parkingName``, ``parkingNumberOfSpaces``, a ``parkingLocation`` with ``latitude`` and
  ``longitude``) and a ``parkingStatusPublication``'s ``parkingRecordStatus`` (its
  ``parkingRecordReference``, ``parkingOccupancy`` / ``parkingNumberOfVacantSpaces``,
  ``parkingSiteOpeningStatus``, ``parkingStatusOriginTime``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import values
from smartcity.mobility.parking.values import compact, count, flag
from smartcity.mobility.xmlstream import local

TYPES = {
    "carPark": "carPark",
    "onStreet": "onStreet",
    "offStreetParkingGround": "offStreetParkingGround",
}
LAYOUTS = {"multiStorey": "carPark", "underground": "underground", "singleLevel": "carPark"}
URBAN = {"onStreetParking": "onStreet", "offStreetParking": "offStreetParkingGround"}
USERS = {  # assignedFor user: the capacity kind it counts
    "disabled": "disabled",
    "handicapped": "disabled",
    "registeredDisabledUsers": "disabled",
    "wheelchairUsers": "disabled",
    "women": "woman",
    "families": "family",
}
StatusRow = tuple[str, dict[str, Any], datetime | None]


def child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local(c.tag) == name]


def text_of(element: ET.Element | None, name: str) -> str | None:
    """The element's text, or of a multilingual text (``values`` / ``value``) the German
    one, else the first; None when absent."""
    if element is None:
        return None
    found = [v for v in element.iter() if local(v.tag) == "value"]
    if found:
        german = [v for v in found if (v.get("lang") or "").lower().startswith("de")]
        return values.text((german or found)[0].text, name)
    return values.text(element.text, name)


def field(element: ET.Element, name: str) -> str | None:
    return text_of(child(element, name), name)


def texts(element: ET.Element, name: str) -> list[str]:
    return [t for c in children(element, name) if (t := text_of(c, name))]


def _position(element: ET.Element) -> tuple[float, float]:
    """The first latitude and longitude within the element (coordinatesForDisplay, a
    pointCoordinates)."""
    lat = next((e for e in element.iter() if local(e.tag) == "latitude"), None)
    lon = next((e for e in element.iter() if local(e.tag) == "longitude"), None)
    if lat is None or lon is None:
        raise ValueError("the site has no latitude and longitude")
    return values.position(values.text(lat.text, "latitude"), values.text(lon.text, "longitude"))


def _id(element: ET.Element) -> str:
    found = values.text(element.get("id") or field(element, "_id") or field(element, "uid"), "id")
    if not found:
        raise ValueError("the site has no id")
    return found[:200]


def _assigned(site: ET.Element) -> dict[str, int]:
    """Special capacities from ``assignedFor`` (user disabled, women, families; fuel type
    battery for charging)."""
    found: dict[str, int] = {}
    for assignment in children(site, "assignedFor"):
        kind = USERS.get(field(assignment, "user") or "")
        if kind is None and field(assignment, "fuelType") == "battery":
            kind = "charging"
        spaces = count(field(assignment, "availableSpaces"), "assignedFor/availableSpaces")
        if kind and spaces is not None:
            found[kind] = found.get(kind, 0) + spaces
    return found


def light_site(site: ET.Element) -> OfferRecord:
    """A Parking Publication Light ``parkingSite`` as an offer with its status."""
    place = child(site, "locationAndDimension")
    lat, lon = _position(site if place is None else place)
    kind = field(site, "type")
    total = count(field(site, "numberOfSpaces"), "numberOfSpaces")
    free_parking = flag(field(site, "freeParking"), "freeParking")
    dimension = child(place, "dimension") if place is not None else None
    height = values.number(field(dimension, "height"), "height") if dimension is not None else None
    details = compact(
        {
            "source": "datex2",
            "type": TYPES.get(kind or "", "other" if kind else None),
            "datexType": kind,
            "address": field(place, "roadName") if place is not None else None,
            "description": field(site, "description"),
            "operator": "; ".join(texts(site, "operatorInformation")) or None,
            "publicUrl": field(site, "urlLinkAddress"),
            "capacity": compact({"total": total, **_assigned(site)}),
            "hasRealtimeData": child(site, "availableSpaces") is not None,
            "openingTimes": texts(site, "openingTimesDescription"),
            "fee": compact(
                {
                    "hasFee": None if free_parking is None else not free_parking,
                    "description": "; ".join(texts(site, "tariffDescription")) or None,
                }
            ),
            "maxHeightCm": None if height is None else round(height * 100),
            "maxStaySeconds": count(
                field(site, "maximumParkingDuration"), "maximumParkingDuration"
            ),
            "equipment": texts(site, "equipmentAndServices"),
        }
    )
    return OfferRecord(
        ref=_id(site),
        mode=Offer.PARKING,
        kind=Offer.SITE,
        lat=lat,
        lon=lon,
        name=field(site, "name") or "",
        details=details,
        status=light_status(site),
        status_at=values.when(field(site, "lastUpdate"), "lastUpdate"),
    )


def light_status(site: ET.Element) -> dict[str, Any]:
    free = count(field(site, "availableSpaces"), "availableSpaces")
    is_open = flag(field(site, "isOpenNow"), "isOpenNow")
    closed = flag(field(site, "temporaryClosed"), "temporaryClosed")
    opening = "closed" if closed or is_open is False else ("open" if is_open else None)
    return compact({"free": free, "openingStatus": opening, "trend": field(site, "occupancyTrend")})


def _record_type(record: ET.Element) -> str:
    layout = next((e for e in record.iter() if local(e.tag) == "parkingLayout"), None)
    if layout is not None and (layout.text or "").strip() in LAYOUTS:
        return LAYOUTS[(layout.text or "").strip()]
    urban = next((e for e in record.iter() if local(e.tag) == "urbanParkingSiteType"), None)
    return URBAN.get((urban.text or "").strip() if urban is not None else "", "other")


def table_record(record: ET.Element) -> OfferRecord:
    """A ``parkingRecord`` of a parkingTablePublication as an offer (no status yet)."""
    location = child(record, "parkingLocation")
    lat, lon = _position(record if location is None else location)
    total = count(field(record, "parkingNumberOfSpaces"), "parkingNumberOfSpaces")
    details = compact(
        {
            "source": "datex2",
            "type": _record_type(record),
            "description": field(record, "parkingDescription"),
            "capacity": compact({"total": total}),
            "hasRealtimeData": None,
        }
    )
    return OfferRecord(
        ref=_id(record),
        mode=Offer.PARKING,
        kind=Offer.SITE,
        lat=lat,
        lon=lon,
        name=field(record, "parkingName") or "",
        details=details,
    )


def record_status(status: ET.Element) -> StatusRow:
    """(ref, status, time) of a ``parkingRecordStatus``."""
    reference = child(status, "parkingRecordReference")
    ref = values.text(reference.get("id") if reference is not None else None, "id")
    if not ref:
        raise ValueError("the status has no parkingRecordReference id")
    occupancy = child(status, "parkingOccupancy")
    source = occupancy if occupancy is not None else status
    free = count(field(source, "parkingNumberOfVacantSpaces"), "parkingNumberOfVacantSpaces")
    occupied = count(field(source, "parkingNumberOfOccupiedSpaces"), "occupiedSpaces")
    percent = values.number(field(source, "parkingOccupancy"), "parkingOccupancy")
    opening = next((e for e in status.iter() if local(e.tag) == "parkingSiteOpeningStatus"), None)
    opening_text = values.text(opening.text, "opening") if opening is not None else None
    site_status = next((e for e in status.iter() if local(e.tag) == "parkingSiteStatus"), None)
    row = compact(
        {
            "free": free,
            "occupied": occupied,
            "occupancyPercent": percent,
            "openingStatus": {"open": "open", "closed": "closed"}.get(
                opening_text or "", "unknown" if opening_text else None
            ),
            "siteStatus": values.text(site_status.text, "siteStatus")
            if site_status is not None
            else None,
        }
    )
    at = values.when(field(status, "parkingStatusOriginTime"), "parkingStatusOriginTime")
    return ref[:200], row, at
