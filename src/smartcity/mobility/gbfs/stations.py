"""GBFS stations as offers of kind ``station``: station_information gives the place and
its ``details``, station_status the live ``status``, in one shape for v2.3 and v3.x (the
v3.x names: v2.3's ``num_bikes_available`` is ``num_vehicles_available``, its
``vehicle_type_capacity`` object is ``vehicle_docks_capacity``, its ``vehicle_capacity``
``vehicle_types_capacity``; times as ISO 8601 in UTC).

A station's mode is that of most of the vehicle types it holds (its capacities, else
what its status says is there); a station of no known type is a bike station. A station
in station_status but not in station_information is left out (the spec forbids it); a
station without a status is offered with an empty status (its availability unknown)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from smartcity.core.importers import ImportReport
from smartcity.mobility.gbfs import values
from smartcity.mobility.gbfs.catalogue import Catalogue
from smartcity.mobility.offers import OfferRecord

Status = tuple[dict[str, Any], datetime | None]
MAX_REF = 200  # Offer.ref

_DETAILS = (
    "short_name",
    "address",
    "cross_street",
    "post_code",
    "city",
    "region_id",
    "capacity",
    "is_virtual_station",
    "is_charging_station",
    "is_valet_station",
    "parking_type",
    "parking_hoop",
    "contact_phone",
    "station_opening_hours",
    "rental_methods",
    "rental_uris",
)
_LOCALIZED = ("short_name", "address", "city")  # in v3.x some are localized strings


def ref(station_id: Any) -> str:
    """The offer's ref of a station; ValueError for an id longer than a ref may be."""
    found = f"station:{station_id}"
    if len(found) > MAX_REF:
        raise ValueError(f"a station_id longer than {MAX_REF - 8} characters")
    return found


def _capacities(value: Any) -> list[dict[str, Any]]:
    """A capacity as v3.x writes it (``[{vehicle_type_ids, count}]``) from v3.x's list or
    v2.3's object of counts per vehicle type."""
    if isinstance(value, dict):
        return [{"vehicle_type_ids": [str(k)], "count": v} for k, v in value.items()]
    return [
        {"vehicle_type_ids": [str(t) for t in i["vehicle_type_ids"]], "count": i["count"]}
        for i in value or []
    ]


def status_of(raw: dict[str, Any], version: str, at: datetime) -> Status:
    """The status of one station_status entry, observed at the file's ``last_updated``."""
    available = raw.get("num_vehicles_available", raw.get("num_bikes_available"))
    disabled = raw.get("num_vehicles_disabled", raw.get("num_bikes_disabled"))
    by_type = {
        str(item["vehicle_type_id"]): int(item["count"])
        for item in raw.get("vehicle_types_available") or []
    }
    status = {
        "num_vehicles_available": available,
        "num_vehicles_disabled": disabled,
        "num_docks_available": raw.get("num_docks_available"),
        "num_docks_disabled": raw.get("num_docks_disabled"),
        "vehicle_types_available": by_type or None,
        "vehicle_docks_available": _capacities(raw.get("vehicle_docks_available")) or None,
        "is_installed": raw.get("is_installed"),
        "is_renting": raw.get("is_renting"),
        "is_returning": raw.get("is_returning"),
        "last_reported": values.iso(values.parse_time(version, raw["last_reported"])),
    }
    return {k: v for k, v in status.items() if v is not None}, at


def statuses(
    data: dict[str, Any], version: str, at: datetime, report: ImportReport
) -> dict[str, Status]:
    """The statuses of a station_status ``data`` by station id."""
    found: dict[str, Status] = {}
    for index, raw in enumerate(data["stations"]):
        with report.record(f"station_status/data/stations/{index}"):
            ref(raw["station_id"])  # an id that cannot be a ref is rejected here
            found[str(raw["station_id"])] = status_of(raw, version, at)
    return found


def _details(raw: dict[str, Any], catalogue: Catalogue, status: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = {"station_id": str(raw["station_id"])}
    for key in _DETAILS:
        if raw.get(key) is not None:
            value = raw[key]
            details[key] = values.text(value, catalogue.language) if key in _LOCALIZED else value
    types: list[str] = []
    for key, v2_key in (
        ("vehicle_types_capacity", "vehicle_capacity"),
        ("vehicle_docks_capacity", "vehicle_type_capacity"),
    ):
        capacities = _capacities(raw.get(key, raw.get(v2_key)))
        if capacities:
            details[key] = capacities
            types += [t for c in capacities for t in c["vehicle_type_ids"]]
    types += list(status.get("vehicle_types_available") or {})
    details["vehicle_types"] = [
        {"vehicle_type_id": t, **_type_summary(catalogue, t)} for t in dict.fromkeys(types)
    ]
    return details


def _type_summary(catalogue: Catalogue, type_id: str) -> dict[str, Any]:
    known = catalogue.vehicle_type(type_id)
    return {k: known[k] for k in ("form_factor", "propulsion_type", "name") if known.get(k)}


def records(
    data: dict[str, Any],
    catalogue: Catalogue,
    known: dict[str, Status],
    report: ImportReport,
) -> Iterator[OfferRecord]:
    """The station offers of a station_information ``data``, each with its status from
    ``known`` (by station id)."""
    for index, raw in enumerate(data["stations"]):
        with report.record(f"station_information/data/stations/{index}"):
            station_id = str(raw["station_id"])
            status, at = known.get(station_id, ({}, None))
            details = _details(raw, catalogue, status)
            types = [t["vehicle_type_id"] for t in details["vehicle_types"]]
            yield OfferRecord(
                ref=ref(station_id),
                mode=catalogue.mode_of(types),
                kind="station",
                lat=float(raw["lat"]),
                lon=float(raw["lon"]),
                name=values.text(raw.get("name"), catalogue.language),
                details=details,
                status=status,
                status_at=at,
            )
