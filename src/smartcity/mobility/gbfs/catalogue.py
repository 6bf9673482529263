"""What the places of a GBFS system refer to: its vehicle types (form factor, propulsion,
name), its pricing plans, and the language its texts are read in, from the last good
system_information, vehicle_types and system_pricing_plans.

The mode of an offer comes from the form factor (:data:`MODES`): every bicycle kind is a
bike, every scooter kind a scooter, mopeds and cars their own mode. A system without
vehicle_types has only human-powered bicycles (so the spec says)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from smartcity.mobility.gbfs import values

MODES = {
    "bicycle": "bike",
    "cargo_bicycle": "bike",
    "other": "bike",
    "scooter": "scooter",
    "scooter_standing": "scooter",
    "scooter_seated": "scooter",
    "moped": "moped",
    "car": "car",
}
MODE_ORDER = ("bike", "scooter", "moped", "car")  # which mode wins a tie
BICYCLE = {"form_factor": "bicycle", "propulsion_type": "human", "name": ""}


@dataclass(frozen=True)
class Catalogue:
    version: str
    language: str | None
    vehicle_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)

    def vehicle_type(self, type_id: Any) -> dict[str, Any]:
        """The type ``type_id`` (a human bicycle when the system has no such type)."""
        return self.vehicle_types.get(str(type_id), BICYCLE) if type_id is not None else BICYCLE

    def mode_of(self, type_ids: Iterable[Any]) -> str:
        """The mode most of ``type_ids`` are (ties: bike, scooter, moped, car); bike for
        none."""
        modes = Counter(MODES.get(self.vehicle_type(t)["form_factor"], "bike") for t in type_ids)
        if not modes:
            return "bike"
        return max(MODE_ORDER, key=lambda mode: (modes[mode], -MODE_ORDER.index(mode)))

    def plan(self, plan_id: Any) -> dict[str, Any] | None:
        return self.plans.get(str(plan_id)) if plan_id is not None else None


def language_of(version: str, discovered: str | None, system: dict[str, Any] | None) -> str | None:
    """The language texts are read in: gbfs.json's (v2.3), else German, English or the
    first of system_information's ``languages`` (v3.x)."""
    if discovered is not None or values.is_v2(version):
        return discovered
    return values.pick_language((system or {}).get("languages") or [])


def vehicle_types(data: dict[str, Any] | None, language: str | None) -> dict[str, dict[str, Any]]:
    """The vehicle types of a vehicle_types ``data`` by id, in the offers' words."""
    found = {}
    for item in (data or {}).get("vehicle_types") or []:
        found[str(item["vehicle_type_id"])] = {
            "form_factor": item.get("form_factor", "bicycle"),
            "propulsion_type": item.get("propulsion_type", "human"),
            "name": values.text(item.get("name"), language),
            "max_range_meters": item.get("max_range_meters"),
            "default_pricing_plan_id": item.get("default_pricing_plan_id"),
        }
    return found


def plans(data: dict[str, Any] | None, language: str | None) -> dict[str, dict[str, Any]]:
    """The pricing plans of a system_pricing_plans ``data`` by id, in short: name,
    currency, base price and the per-minute and per-km rates as given."""
    found = {}
    for item in (data or {}).get("plans") or []:
        plan = {
            "plan_id": str(item["plan_id"]),
            "name": values.text(item.get("name"), language),
            "currency": item.get("currency"),
            "price": item.get("price"),
            "per_min_pricing": item.get("per_min_pricing"),
            "per_km_pricing": item.get("per_km_pricing"),
        }
        found[plan["plan_id"]] = {k: v for k, v in plan.items() if v is not None}
    return found
