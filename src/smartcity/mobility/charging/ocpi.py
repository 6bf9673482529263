"""An OCPI 2.2.1 Location as one charging offer, and back.

One Offer per Location (mode ``charging``, kind ``site``, ref ``COUNTRY*PARTY*id``):
``details`` holds what seldom changes in the vocabulary the Ladesäulenregister's sites
share (operator, address, opening, type, ``chargePoints`` with their connectors, standards
and power, ``byPlug``) and, under ``ocpi``, the Location's own fields as OCPI names them;
``status`` holds each EVSE's status and the summary "free charge points by plug type and
power"; ``status_at`` is the Location's ``last_updated``. :func:`location_of` turns an
offer back into the OCPI Location as the platform stores it (GET of the receiver
interface, and the base that a PATCH changes).

A Location that may not be published (``publish`` false: only the owners of certain
tokens may see it) or has no EVSE that is not REMOVED is not an offer (the spec: "should
no longer be displayed"): :func:`record` answers None for it."""

from __future__ import annotations

import re
from typing import Any

from smartcity.mobility.charging import plugs
from smartcity.mobility.charging.ocpi_models import Connector, Evse, Location, dump
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord

FAST_KW = 22  # above this a site counts as fast charging, as the Ladesäulenregister counts
FREE = "AVAILABLE"
DERIVED = ("standards", "powerKw")  # keys of a charge point that are worked out, not sent


def ref_of(country_code: str, party_id: str, location_id: str) -> str:
    """The offer's ref: country code and party id (case-insensitive in OCPI) and the id."""
    return f"{country_code.upper()}*{party_id.upper()}*{location_id}"


def camel(value: Any) -> Any:
    """OCPI's snake_case member names in camelCase, all the way down."""
    if isinstance(value, dict):
        return {
            re.sub(r"_([a-z0-9])", lambda m: m[1].upper(), k): camel(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [camel(item) for item in value]
    return value


def snake(value: Any) -> Any:
    """camelCase member names back in OCPI's snake_case."""
    if isinstance(value, dict):
        return {
            re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), k): snake(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [snake(item) for item in value]
    return value


def valid(evse: Evse) -> bool:
    return evse.status != "REMOVED"


def _connector(connector: Connector) -> dict[str, Any]:
    return {**camel(dump(connector)), "powerKw": plugs.power_kw(connector.watts)}


def charge_point(evse: Evse) -> dict[str, Any]:
    """An EVSE as a charge point of the site (its status is in the offer's status)."""
    point = camel(dump(evse))
    del point["status"]
    point["connectors"] = [_connector(c) for c in evse.connectors]
    point["standards"] = list(dict.fromkeys(c.standard for c in evse.connectors))
    watts = [c.watts for c in evse.connectors if c.watts is not None]
    point["powerKw"] = plugs.power_kw(max(watts)) if watts else None
    return point


def live_status(location: Location) -> dict[str, Any]:
    """The status of every EVSE, and the free ones by plug standard and power."""
    kept = [evse for evse in location.evses if valid(evse)]
    return {
        "evses": {evse.uid: evse.status for evse in location.evses},
        "free": sum(evse.status == FREE for evse in kept),
        "total": len(kept),
        "byPlug": plugs.summary(_points(kept)),
    }


def _points(evses: list[Evse]) -> list[plugs.Point]:
    points: list[plugs.Point] = []
    for evse in evses:
        watts = [c.watts for c in evse.connectors if c.watts is not None]
        standards: list[str | None] = [c.standard for c in evse.connectors] or [None]
        points.append(
            (standards, plugs.power_kw(max(watts)) if watts else None, evse.status == FREE)
        )
    return points


def _address(location: Location) -> dict[str, str]:
    address = {
        "street": location.address,
        "postalCode": location.postal_code or "",
        "city": location.city,
        "state": location.state or "",
        "country": location.country,
    }
    return {key: value for key, value in address.items() if value}


def details_of(location: Location) -> dict[str, Any]:
    kept = [evse for evse in location.evses if valid(evse)]
    powers = [kw for _standards, kw, _free in _points(kept) if kw is not None]
    business = location.operator or location.suboperator or location.owner
    own = dump(location)
    del own["evses"]
    details: dict[str, Any] = {
        "source": "ocpi",
        "operator": business.name if business else None,
        "address": _address(location),
        "opening": camel(dump(location.opening_times)) if location.opening_times else None,
        "type": ("fast" if max(powers) > FAST_KW else "normal") if powers else None,
        "chargePointCount": len(kept),
        "powerKw": max(powers) if powers else None,
        "chargePoints": [charge_point(evse) for evse in location.evses],
        "byPlug": plugs.summary(_points(kept), live=False),
        "ocpi": own,
    }
    return {key: value for key, value in details.items() if value is not None}


def record(location: Location) -> OfferRecord | None:
    """The Location as an offer; None when it is not to be shown (see the module)."""
    if not location.publish or not any(valid(evse) for evse in location.evses):
        return None
    name = location.name or ", ".join(filter(None, (location.address, location.city)))
    return OfferRecord(
        ref=ref_of(location.country_code, location.party_id, location.id),
        mode=Offer.CHARGING,
        kind=Offer.SITE,
        lat=float(location.coordinates.latitude),
        lon=float(location.coordinates.longitude),
        name=name,
        details=details_of(location),
        status=live_status(location),
        status_at=location.last_updated,
    )


def location_of(offer: Offer) -> dict[str, Any]:
    """The OCPI Location (JSON) an offer was made from, as the platform keeps it."""
    location = dict(offer.details["ocpi"])
    statuses = offer.status.get("evses", {})
    evses = []
    for point in offer.details.get("chargePoints", []):
        evse = snake({k: v for k, v in point.items() if k not in DERIVED})
        evse["connectors"] = [
            {k: v for k, v in c.items() if k != "power_kw"} for c in evse.get("connectors", [])
        ]
        evse["status"] = statuses.get(point["uid"], "UNKNOWN")
        evses.append(evse)
    location["evses"] = evses
    return location
