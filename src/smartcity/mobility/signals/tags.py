"""An OpenStreetMap node with its tags as a signal offer: which nodes are signals, and
the tags that say what a pedestrian finds there (OSM wiki: Key:traffic_signals:sound,
Key:traffic_signals:vibration, Key:button_operated, Key:tactile_paving)."""

from __future__ import annotations

from typing import Any

from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord
from smartcity.mobility.parking import values
from smartcity.mobility.parking.values import compact, text

MAX_TAGS = 500  # more tags on one node than OSM ever has: a hostile or broken extract
# details key: OSM key (the first given wins)
KEYS: dict[str, tuple[str, ...]] = {
    "crossing": ("crossing",),
    "sound": ("traffic_signals:sound",),
    "vibration": ("traffic_signals:vibration",),
    "buttonOperated": ("button_operated",),
    "tactilePaving": ("tactile_paving",),
    "direction": ("traffic_signals:direction", "direction"),
    "arrow": ("traffic_signals:arrow",),
    "minimap": ("traffic_signals:minimap",),
    "countdown": ("traffic_signals:countdown",),
    "signalType": ("traffic_signals",),
    "ref": ("ref",),
    "name": ("name",),
}


def signal_kind(tags: dict[str, Any]) -> str | None:
    """``traffic`` for highway=traffic_signals, ``crossing`` for a crossing with signals
    (highway=crossing + crossing=traffic_signals, where the aids are mostly tagged);
    None for any other node."""
    highway = tags.get("highway")
    if highway == "traffic_signals":
        return "traffic"
    if highway == "crossing" and tags.get("crossing") == "traffic_signals":
        return "crossing"
    return None


def checked_tags(raw: Any) -> dict[str, str]:
    """The tags as texts; ValueError for tags that are not a mapping of texts."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"tags: expected an object, not {type(raw).__name__}")
    if len(raw) > MAX_TAGS:
        raise ValueError(f"tags: more than {MAX_TAGS} tags")
    found: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(f"tags: {str(key)[:40]!r} is not a text tag")
        if "\x00" in key or "\x00" in value:
            raise ValueError(f"tags: {key[:40]!r} holds a NUL character")
        found[key] = value
    return found


def signal(node_id: Any, lat: Any, lon: Any, tags: dict[str, str]) -> OfferRecord:
    """The node as an offer (the caller has checked that it is a signal)."""
    if isinstance(node_id, bool) or not isinstance(node_id, int | str):
        raise ValueError("id: expected the node's number")
    if not str(node_id).lstrip("-").isdigit():
        raise ValueError(f"id: {str(node_id)[:40]!r} is not a node id")
    found_lat, found_lon = values.position(lat, lon)
    details: dict[str, Any] = {"source": "osm", "osmId": f"node/{node_id}"}
    details["kind"] = signal_kind(tags)
    for key, names in KEYS.items():
        details[key] = next((text(tags[n], n) for n in names if n in tags), None)
    return OfferRecord(
        ref=f"node/{node_id}",
        mode=Offer.SIGNAL,
        kind=Offer.POINT,
        lat=found_lat,
        lon=found_lon,
        name=details.pop("name") or "",
        details=compact(details),
    )
