"""The demo city's sharing: bike stations like metropolradruhr's, free-floating e-scooters
and a car sharing station at the Hauptbahnhof, as offers with exactly the ``details`` and
``status`` keys the GBFS importer writes (gbfs/stations.py, gbfs/vehicles.py), so the map
and the API treat them as they treat a real system's. Availability is a snapshot of the
load, drawn from a fixed seed (the same on every load)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from smartcity.mobility.demo.places import MOBILSTATION
from smartcity.mobility.gbfs import values
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord

BIKE = {"vehicle_type_id": "bike", "form_factor": "bicycle", "propulsion_type": "human",
        "name": "Fahrrad"}  # fmt: skip
EBIKE = {"vehicle_type_id": "ebike", "form_factor": "bicycle",
         "propulsion_type": "electric_assist", "name": "Pedelec"}  # fmt: skip
SCOOTER = {"vehicle_type_id": "escooter", "form_factor": "scooter_standing",
           "propulsion_type": "electric", "name": "E-Scooter (Demo)"}  # fmt: skip
CARS = (
    {"vehicle_type_id": "ecar", "form_factor": "car", "propulsion_type": "electric",
     "name": "Elektroauto (Kleinwagen)"},
    {"vehicle_type_id": "car", "form_factor": "car", "propulsion_type": "combustion",
     "name": "Kombi"},
)  # fmt: skip
SCOOTER_PLAN = {
    "plan_id": "standard",
    "name": "Minutentarif",
    "currency": "EUR",
    "price": 1.0,
    "per_min_pricing": [{"start": 0, "rate": 0.19, "interval": 1}],
}

# (station_id, name, address, lat, lon, capacity): the metropolradruhr-like stations
BIKE_STATIONS = (
    ("hamm-hbf", "Hauptbahnhof (Mobilstation, 24 Stunden) (Demo)", "Willy-Brandt-Platz",
     MOBILSTATION[0], MOBILSTATION[1] + 0.0004, 20),
    ("hamm-rathaus", "Rathaus (Demo)", "Theodor-Heuss-Platz", 51.6829, 7.8199, 10),
    ("hamm-allee", "Allee-Center (Demo)", "Richard-Matthaei-Platz", 51.6793, 7.8160, 10),
    ("hamm-kurpark", "Kurpark (Demo)", "Ostenallee", 51.6703, 7.8436, 8),
    ("hamm-maxipark", "Maximilianpark (Demo)", "Alter Grenzweg", 51.6772, 7.8745, 12),
    ("heessen", "Heessen Kirche (Demo)", "Amtsstraße", 51.7016, 7.8586, 8),
    ("bockum-hoevel", "Bockum-Hövel Bahnhof (Demo)", "Bahnhofstraße", 51.6895, 7.7512, 10),
    ("rhynern", "Rhynern Markt (Demo)", "Unnaer Straße", 51.6274, 7.8615, 6),
    ("werries", "Werries Kirche (Demo)", "Alter Uentroper Weg", 51.6774, 7.8950, 6),
    ("pelkum", "Pelkum Markt (Demo)", "Kamener Straße", 51.6444, 7.7438, 6),
)  # fmt: skip


def _station(seed: random.Random, spec: tuple[Any, ...], now: datetime) -> OfferRecord:
    station_id, name, address, lat, lon, capacity = spec
    bikes = seed.randint(0, capacity * 2 // 3)
    ebikes = seed.randint(0, max(0, capacity // 3 - 1))
    disabled = seed.choice((0, 0, 0, 1))
    docks = max(0, capacity - bikes - ebikes - disabled)
    details: dict[str, Any] = {
        "station_id": station_id,
        "address": address,
        "city": "Hamm",
        "capacity": capacity,
        "is_virtual_station": False,
        "is_charging_station": station_id == "hamm-hbf",
        "rental_methods": ["key", "creditcard", "phone"],
        "vehicle_types_capacity": [{"vehicle_type_ids": ["bike", "ebike"], "count": capacity}],
        "vehicle_types": [BIKE, EBIKE],
    }
    if station_id == "hamm-hbf":
        details["station_opening_hours"] = "24/7"
    status = {
        "num_vehicles_available": bikes + ebikes,
        "num_vehicles_disabled": disabled,
        "num_docks_available": docks,
        "vehicle_types_available": {"bike": bikes, "ebike": ebikes},
        "is_installed": True,
        "is_renting": True,
        "is_returning": True,
        "last_reported": values.iso(now),
    }
    return OfferRecord(f"station:{station_id}", Offer.BIKE, Offer.STATION, lat, lon, name,
                       details, status, now)  # fmt: skip


def bike_stations(now: datetime) -> list[OfferRecord]:
    seed = random.Random(6)  # demo figures, not secrets
    return [_station(seed, spec, now) for spec in BIKE_STATIONS]


def _scooter(number: int, lat: float, lon: float, seed: random.Random, now: datetime):
    fuel = round(seed.uniform(0.15, 1.0), 2)
    details = {
        "vehicle_id": f"demo-scooter-{number:03d}",
        "vehicle_type_id": SCOOTER["vehicle_type_id"],
        "form_factor": SCOOTER["form_factor"],
        "max_range_meters": 40_000,
    }
    status = {
        "is_reserved": False,
        "is_disabled": False,
        "propulsion_type": SCOOTER["propulsion_type"],
        "current_range_meters": round(40_000 * fuel),
        "current_fuel_percent": fuel,
        "pricing_plan_id": SCOOTER_PLAN["plan_id"],
        "pricing_plan": SCOOTER_PLAN,
        "last_reported": values.iso(now),
    }
    return OfferRecord(f"vehicle:{details['vehicle_id']}", Offer.SCOOTER, Offer.VEHICLE,
                       lat, lon, str(SCOOTER["name"]), details, status, now)  # fmt: skip


def scooters(now: datetime) -> Iterator[OfferRecord]:
    """Thirty scooters: a few at the Hauptbahnhof, the rest about the city centre."""
    seed = random.Random(19)  # demo figures, not secrets
    for number in range(30):
        spread = 0.0015 if number < 4 else 0.012
        lat = round(MOBILSTATION[0] + seed.uniform(-spread, spread), 6)
        lon = round(MOBILSTATION[1] + seed.uniform(-spread, spread) * 1.6, 6)
        yield _scooter(number, lat, lon, seed, now)


def car_station(now: datetime) -> OfferRecord:
    """The car sharing station at the Hauptbahnhof (P+R south side), two cars."""
    details = {
        "station_id": "hamm-hbf",
        "address": "Willy-Brandt-Platz",
        "city": "Hamm",
        "capacity": 3,
        "is_virtual_station": False,
        "is_charging_station": True,
        "rental_methods": ["key", "phone"],
        "vehicle_types_capacity": [{"vehicle_type_ids": ["ecar", "car"], "count": 3}],
        "vehicle_types": list(CARS),
    }
    status = {
        "num_vehicles_available": 2,
        "num_docks_available": 1,
        "vehicle_types_available": {"ecar": 1, "car": 1},
        "is_installed": True,
        "is_renting": True,
        "is_returning": True,
        "last_reported": values.iso(now),
    }
    return OfferRecord("station:hamm-hbf", Offer.CAR, Offer.STATION, MOBILSTATION[0] - 0.0009,
                       MOBILSTATION[1] + 0.0012, "Carsharing Hauptbahnhof (Demo)", details,
                       status, now)  # fmt: skip


def _text(text: str) -> list[dict[str, str]]:
    return [{"text": text, "language": "de"}]


def _type(kind: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {**{k: v for k, v in kind.items() if k != "name"}, "name": _text(kind["name"]), **more}


def _system(system_id: str, name: str, operator: str) -> dict[str, Any]:
    return {
        "system_id": system_id,
        "languages": ["de"],
        "name": _text(name),
        "operator": _text(operator),
        "timezone": "Europe/Berlin",
        "feed_contact_email": "smartcity@stadt.hamm.de",
    }


# What the GBFS API answers of each demo system (GbfsFile data, GBFS 3.0 as published):
# system_information, vehicle_types and system_pricing_plans, by feed key.
SYSTEMS: dict[str, dict[str, dict[str, Any]]] = {
    "demo-metropolradruhr": {
        "system_information": _system("demo-metropolradruhr", "metropolradruhr Hamm (Demo)",
                                      "nextbike (Demo)"),
        "vehicle_types": {"vehicle_types": [_type(BIKE), _type(EBIKE, max_range_meters=60_000)]},
    },
    "demo-escooter": {
        "system_information": _system("demo-escooter", "E-Scooter Hamm (Demo)", "Demo GmbH"),
        "vehicle_types": {"vehicle_types": [
            _type(SCOOTER, max_range_meters=40_000, default_pricing_plan_id="standard")
        ]},
        "system_pricing_plans": {"plans": [{
            **SCOOTER_PLAN, "name": _text(str(SCOOTER_PLAN["name"])), "is_taxable": False,
            "description": _text("1 € zum Entsperren, dann 0,19 € je Minute"),
        }]},
    },
    "demo-carsharing": {
        "system_information": _system("demo-carsharing", "Carsharing Hamm (Demo)",
                                      "Stadtwerke Hamm (Demo)"),
        "vehicle_types": {"vehicle_types": [  # GBFS 3.0: a range for every motor
            _type(CARS[0], max_range_meters=250_000), _type(CARS[1], max_range_meters=700_000)
        ]},
    },
}  # fmt: skip
