"""One source's GBFS objects in the shape of GBFS 3.0, its ids prefixed, for the city's
merged feed (publish.py).

Every id that comes from a source (``station_id``, ``vehicle_id``, ``vehicle_type_id``,
``plan_id``, ``region_id``, ...) becomes ``KEY:id``, ``KEY`` the source feed's key, and so
does every reference to one, so that ids of two operators never collide (as Lamassu
does). v2.3 objects are converted to v3.0 as the spec's changes say: plain strings become
localized strings (``[{"text", "language"}]``), POSIX times RFC 3339 strings, the form
factor ``scooter`` is ``scooter_standing``, a geofencing rule's ``ride_allowed`` becomes
``ride_start_allowed`` and ``ride_end_allowed``, rental methods are lower case. Members
that GBFS 3.0 does not define (v3.1's additions, the offers' own keys) are left out: the
members kept are those of the official v3.0 schema (:func:`members`).

Stations and vehicles come from the offers table (the importer's mapping, stations.py
and vehicles.py, already in v3.x names); the reference files (vehicle types, pricing
plans, geofencing zones) from the last good data the importer keeps of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from smartcity.mobility.gbfs import validation, values

VERSION = "3.0"
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")  # the schema's pattern of a language


@dataclass(frozen=True)
class Source:
    """A GBFS system that goes into the merged feed: its feed key, its GBFS version, the
    language of its plain texts, and the last good data of its reference files."""

    key: str
    version: str
    language: str  # BCP 47, as the v3.0 schema writes it (e.g. "de", "en-GB")
    reference: dict[str, Any]  # file name (vehicle_types, ...) -> its ``data``

    def ref(self, value: Any) -> str:
        return f"{self.key}:{value}"

    def refs(self, items: Any) -> list[str]:
        return [self.ref(item) for item in items or []]

    @property
    def default_type(self) -> str:
        """The id of the one vehicle type of a source without vehicle_types (the spec: its
        vehicles are human-powered bicycles)."""
        return self.ref("bicycle")

    @property
    def has_types(self) -> bool:
        return bool((self.reference.get("vehicle_types") or {}).get("vehicle_types"))


def language_tag(value: Any) -> str | None:
    """A source's language as the v3.0 schema writes it (``en``, ``de-DE``), else None."""
    if not isinstance(value, str):
        return None
    head, _, region = value.replace("_", "-").partition("-")
    tag = head.lower() + (f"-{region.upper()}" if region else "")
    return tag if _LANGUAGE.match(tag) else None


@cache
def members(name: str, *path: str) -> frozenset[str]:
    """The members GBFS 3.0 defines for an object of file ``name``: at ``path`` below
    ``data`` (e.g. ``("stations",)``: a station; ``()``: data itself)."""
    compiled = validation.validator(VERSION, name)
    assert compiled is not None, name
    schema: dict[str, Any] = compiled.schema["properties"]["data"]
    for step in path:
        schema = schema["properties"][step]
        schema = schema.get("items", schema)
    return frozenset(schema["properties"])


def localized(value: Any, language: str) -> list[dict[str, str]] | None:
    """A text as v3.0's localized string: v3.x lists as they are, a v2.3 string in the
    source's language."""
    if value is None or value == "":
        return None
    if isinstance(value, list):
        found = [
            {"text": str(item["text"]), "language": tag}
            for item in value
            if isinstance(item, dict)
            and "text" in item
            and (tag := language_tag(item.get("language"))) is not None
        ]
        return found or None
    return [{"text": str(value), "language": language}]


def time(source: Source, value: Any) -> str | None:
    """A time of ``source`` as RFC 3339 in UTC (v2.3 POSIX seconds, v3.x strings); None for
    one that is no time with an offset."""
    if value is None:
        return None
    try:
        if values.is_v2(source.version) and not isinstance(value, str):
            return values.parse_time(source.version, value).isoformat()
        at = datetime.fromisoformat(str(value).replace("z", "Z").replace("t", "T"))
    except (TypeError, ValueError):
        return None
    return at.astimezone(UTC).isoformat() if at.tzinfo is not None else None


def _kept(raw: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k in allowed and v is not None}


def _localize(out: dict[str, Any], source: Source, keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in out:
            text = localized(out[key], source.language)
            if text is None:
                del out[key]
            else:
                out[key] = text


def vehicle_types(source: Source) -> list[dict[str, Any]]:
    """The source's vehicle types; for a source without any, its one bicycle type."""
    if not source.has_types:
        return [{"vehicle_type_id": source.default_type, "form_factor": "bicycle",
                 "propulsion_type": "human"}]  # fmt: skip
    found = []
    for raw in source.reference["vehicle_types"]["vehicle_types"]:
        out = _kept(raw, members("vehicle_types", "vehicle_types"))
        out["vehicle_type_id"] = source.ref(raw["vehicle_type_id"])
        if out.get("form_factor") == "scooter":  # v2.2's scooter, removed in v3.0
            out["form_factor"] = "scooter_standing"
        _localize(out, source, ("name", "make", "model", "description"))
        if "default_pricing_plan_id" in out:
            out["default_pricing_plan_id"] = source.ref(out["default_pricing_plan_id"])
        if "pricing_plan_ids" in out:
            out["pricing_plan_ids"] = source.refs(out["pricing_plan_ids"])
        found.append(out)
    return found


def type_ids(source: Source) -> list[str]:
    return [kind["vehicle_type_id"] for kind in vehicle_types(source)]


def plans(source: Source) -> list[dict[str, Any]]:
    """The source's pricing plans (v3.0 wants a name and a description: a plan without
    a description gets its name as one)."""
    found = []
    for raw in (source.reference.get("system_pricing_plans") or {}).get("plans") or []:
        out = _kept(raw, members("system_pricing_plans", "plans"))
        out["plan_id"] = source.ref(raw["plan_id"])
        _localize(out, source, ("name", "description"))
        out.setdefault("description", out.get("name"))
        found.append(out)
    return found


def rule(source: Source, raw: dict[str, Any], every_type: list[str]) -> dict[str, Any]:
    """A geofencing rule; one for every vehicle type of its source (no ``vehicle_type_ids``)
    names them, so that it does not reach the other operators' vehicles."""
    out = _kept(raw, members("geofencing_zones", "global_rules"))
    ids = raw.get("vehicle_type_ids", raw.get("vehicle_type_id"))
    out["vehicle_type_ids"] = source.refs(ids) if ids else list(every_type)
    if "ride_start_allowed" not in raw:  # v2.3: one ride_allowed for both
        allowed = bool(raw.get("ride_allowed", True))
        out["ride_start_allowed"] = out["ride_end_allowed"] = allowed
    out.setdefault("ride_through_allowed", bool(raw.get("ride_through_allowed", True)))
    return out


def zones(source: Source) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The source's geofencing zones (GeoJSON Features) and its global rules."""
    data = source.reference.get("geofencing_zones") or {}
    every_type = type_ids(source)
    features = []
    for raw in (data.get("geofencing_zones") or {}).get("features") or []:
        given = raw.get("properties") or {}
        properties = _kept(given, members("geofencing_zones", "geofencing_zones", "features",
                                          "properties"))  # fmt: skip
        _localize(properties, source, ("name",))
        for key in ("start", "end"):
            if key in properties and (at := time(source, properties[key])) is not None:
                properties[key] = at
            else:
                properties.pop(key, None)
        properties["rules"] = [rule(source, r, every_type) for r in given.get("rules") or []]
        features.append({"type": "Feature", "geometry": raw["geometry"], "properties": properties})
    global_rules = [rule(source, r, every_type) for r in data.get("global_rules") or []]
    return features, global_rules


def _capacities(source: Source, items: Any) -> list[dict[str, Any]]:
    return [
        {"vehicle_type_ids": source.refs(item["vehicle_type_ids"]), "count": item["count"]}
        for item in items or []
    ]


def station_information(source: Source, offer: dict[str, Any]) -> dict[str, Any]:
    """A station of station_information from its offer (``ref``, ``name``, ``lat``,
    ``lon``, ``details`` as stations.py writes them)."""
    details = offer["details"]
    station_id = details.get("station_id") or offer["ref"].removeprefix("station:")
    out = _kept(details, members("station_information", "stations"))
    out.update(station_id=source.ref(station_id), lat=offer["lat"], lon=offer["lon"])
    out["name"] = localized(offer["name"] or station_id, source.language)
    _localize(out, source, ("short_name",))
    if "region_id" in out:
        out["region_id"] = source.ref(out["region_id"])
    if "rental_methods" in out:
        out["rental_methods"] = [str(m).lower() for m in out["rental_methods"]]
    for key in ("vehicle_types_capacity", "vehicle_docks_capacity"):
        if key in out:
            out[key] = _capacities(source, out[key])
    return out


def station_status(source: Source, offer: dict[str, Any]) -> dict[str, Any] | None:
    """A station of station_status from its offer's ``status``; None for a station whose
    status is not known (v3.0 requires the counts and flags)."""
    status = offer["status"]
    required = ("num_vehicles_available", "is_installed", "is_renting", "is_returning")
    if any(status.get(key) is None for key in required):
        return None
    out = _kept(status, members("station_status", "stations"))
    station_id = offer["details"].get("station_id") or offer["ref"].removeprefix("station:")
    out["station_id"] = source.ref(station_id)
    out["last_reported"] = time(source, status.get("last_reported")) or _observed(offer)
    by_type = status.get("vehicle_types_available")
    if by_type:
        out["vehicle_types_available"] = [
            {"vehicle_type_id": source.ref(kind), "count": count} for kind, count in by_type.items()
        ]
    elif not source.has_types:
        out["vehicle_types_available"] = [
            {"vehicle_type_id": source.default_type, "count": status["num_vehicles_available"]}
        ]
    if "vehicle_docks_available" in out:
        out["vehicle_docks_available"] = _capacities(source, out["vehicle_docks_available"])
    return out


def _observed(offer: dict[str, Any]) -> str:
    at = offer.get("status_at")
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat()


def vehicle(source: Source, offer: dict[str, Any]) -> dict[str, Any]:
    """A vehicle of vehicle_status from its offer (details and status as vehicles.py
    writes them: only vehicles one could rent now are offers)."""
    details, status = offer["details"], offer["status"]
    allowed = members("vehicle_status", "vehicles")
    out = {**_kept(details, allowed), **_kept(status, allowed)}
    vehicle_id = details.get("vehicle_id") or offer["ref"].removeprefix("vehicle:")
    out.update(vehicle_id=source.ref(vehicle_id), lat=offer["lat"], lon=offer["lon"])
    out["is_reserved"] = bool(status.get("is_reserved"))
    out["is_disabled"] = bool(status.get("is_disabled"))
    kind = details.get("vehicle_type_id")
    if kind is not None:
        out["vehicle_type_id"] = source.ref(kind)
    elif not source.has_types:
        out["vehicle_type_id"] = source.default_type
    for key in ("home_station_id", "pricing_plan_id", "station_id"):
        if key in out:
            out[key] = source.ref(out[key])
    for key in ("last_reported", "available_until"):
        if key in out and (at := time(source, out[key])) is not None:
            out[key] = at
        else:
            out.pop(key, None)
    return out
