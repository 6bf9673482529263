"""Free-floating GBFS vehicles (v2.3 free_bike_status, v3.x vehicle_status) as offers of
kind ``vehicle``, with the mode of their form factor (catalogue.MODES).

Only vehicles one could rent now become offers: a vehicle that is disabled or reserved is
left out (and counted), since a map that shows it sends people to a scooter they cannot
take; a vehicle at a station (``station_id``) is left out too, as it is counted in that
station's status. The vehicle's pricing plan is its own ``pricing_plan_id``, else its
type's default, with the plan's name and rates when system_pricing_plans has them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from smartcity.core.importers import ImportReport
from smartcity.mobility.gbfs import values
from smartcity.mobility.gbfs.catalogue import MODES, Catalogue
from smartcity.mobility.gbfs.stations import MAX_REF
from smartcity.mobility.offers import OfferRecord


def ref(vehicle_id: Any) -> str:
    """The offer's ref of a vehicle; ValueError for an id longer than a ref may be."""
    found = f"vehicle:{vehicle_id}"
    if len(found) > MAX_REF:
        raise ValueError(f"a vehicle_id longer than {MAX_REF - 8} characters")
    return found


def _skip_reason(raw: dict[str, Any]) -> str | None:
    if raw.get("is_disabled"):
        return "disabled vehicles"
    if raw.get("is_reserved"):
        return "reserved vehicles"
    if raw.get("station_id") is not None or raw.get("lat") is None or raw.get("lon") is None:
        return "vehicles at a station"
    return None


def _status(raw: dict[str, Any], version: str, kind: dict[str, Any], catalogue: Catalogue):
    plan_id = raw.get("pricing_plan_id") or kind.get("default_pricing_plan_id")
    last = raw.get("last_reported")
    until = raw.get("available_until")
    status = {
        "is_reserved": bool(raw.get("is_reserved")),
        "is_disabled": bool(raw.get("is_disabled")),
        "propulsion_type": kind.get("propulsion_type"),
        "current_range_meters": raw.get("current_range_meters"),
        "current_fuel_percent": raw.get("current_fuel_percent"),
        "pricing_plan_id": plan_id,
        "pricing_plan": catalogue.plan(plan_id),
        "last_reported": values.iso(values.parse_time(version, last)) if last is not None else None,
        "available_until": until,
    }
    return {k: v for k, v in status.items() if v is not None}


def record(raw: dict[str, Any], version: str, catalogue: Catalogue, at: datetime) -> OfferRecord:
    """The offer of one available vehicle, observed at its file's ``last_updated``."""
    vehicle_id = raw["vehicle_id"] if "vehicle_id" in raw else raw["bike_id"]
    kind = catalogue.vehicle_type(raw.get("vehicle_type_id"))
    details = {
        "vehicle_id": str(vehicle_id),
        "vehicle_type_id": raw.get("vehicle_type_id"),
        "form_factor": kind["form_factor"],
        "max_range_meters": kind.get("max_range_meters"),
        "rental_uris": raw.get("rental_uris"),
        "home_station_id": raw.get("home_station_id"),
        "vehicle_equipment": raw.get("vehicle_equipment"),
    }
    return OfferRecord(
        ref=ref(vehicle_id),
        mode=MODES.get(kind["form_factor"], "bike"),
        kind="vehicle",
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
        name=kind.get("name") or "",
        details={k: v for k, v in details.items() if v is not None},
        status=_status(raw, version, kind, catalogue),
        status_at=at,
    )


def records(
    name: str,
    data: dict[str, Any],
    version: str,
    catalogue: Catalogue,
    at: datetime,
    report: ImportReport,
) -> Iterator[OfferRecord]:
    """The offers of the vehicles of a free_bike_status / vehicle_status ``data``."""
    items = data["bikes"] if "bikes" in data else data["vehicles"]
    member = "bikes" if "bikes" in data else "vehicles"
    for index, raw in enumerate(items):
        with report.record(f"{name}/data/{member}/{index}"):
            reason = _skip_reason(raw)
            if reason is not None:
                report.count("skipped", reason)
                continue
            yield record(raw, version, catalogue, at)
