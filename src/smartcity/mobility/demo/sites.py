"""The demo city's charging and parking sites.

Charging sites with live status are OCPI 2.2.1 Locations, validated and mapped by the OCPI
reader (charging/ocpi_models.py, charging/ocpi.py); the EVSEs' statuses are a snapshot of
the load. Sites without live status are rows of a Ladesäulenregister CSV (its columns,
semicolons and decimal commas) read by the real ``bnetza`` importer. So their ``details``
and ``status`` are the keys every charging source writes.
Parking sites keep their keys simple while the parking importers are built:
``details.capacity.total`` and ``status.free``, as the parking importers write them."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from smartcity.mobility.charging import ocpi
from smartcity.mobility.charging.ocpi_models import Location, parse
from smartcity.mobility.demo.places import MOBILSTATION
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord

OPERATOR = {"name": "Stadtwerke Hamm (Demo)", "website": "https://www.stadtwerke-hamm.de/"}
AC = {"standard": "IEC_62196_T2", "format": "SOCKET", "power_type": "AC_3_PHASE",
      "max_voltage": 230, "max_amperage": 32, "max_electric_power": 22000}  # fmt: skip
DC = {"standard": "IEC_62196_T2_COMBO", "format": "CABLE", "power_type": "DC",
      "max_voltage": 920, "max_amperage": 500, "max_electric_power": 150000}  # fmt: skip
CHADEMO = {"standard": "CHADEMO", "format": "CABLE", "power_type": "DC",
           "max_voltage": 500, "max_amperage": 125, "max_electric_power": 50000}  # fmt: skip

# (id, name, street, postal code, lat, lon, [(plugs, status) per EVSE], open all day)
CHARGING = (
    ("HBF", "Ladepark Hauptbahnhof (Demo)", "Willy-Brandt-Platz 1", "59065",
     MOBILSTATION[0] - 0.0006, MOBILSTATION[1] + 0.0016,
     [((AC,), "AVAILABLE"), ((AC,), "CHARGING"), ((DC, CHADEMO), "AVAILABLE"),
      ((DC,), "CHARGING")], True),
    ("RATHAUS", "Theodor-Heuss-Platz (Demo)", "Theodor-Heuss-Platz 16", "59065",
     51.6833, 7.8214, [((AC,), "CHARGING"), ((AC,), "AVAILABLE")], True),
    ("ALLEE", "Parkhaus Allee-Center (Demo)", "Richard-Matthaei-Platz 1", "59065",
     51.6790, 7.8175, [((AC,), "AVAILABLE"), ((AC,), "OUTOFORDER"), ((AC,), "AVAILABLE")],
     False),
    ("MAXIPARK", "Maximilianpark (Demo)", "Alter Grenzweg 2", "59071", 51.6760, 7.8730,
     [((AC,), "AVAILABLE"), ((AC,), "AVAILABLE")], True),
    ("HEESSEN", "Heessen Dorfplatz (Demo)", "Amtsstraße 9", "59073", 51.7020, 7.8580,
     [((AC,), "CHARGING"), ((AC,), "CHARGING")], True),
    ("BOCKUM", "Bockum-Hövel Bahnhof (Demo)", "Bahnhofstraße 24", "59075", 51.6887, 7.7520,
     [((AC,), "AVAILABLE"), ((DC,), "RESERVED")], True),
    ("RHYNERN", "Schnellladepark Rhynern (Demo)", "Ostendorfstraße 60", "59069",
     51.6230, 7.8700, [((DC,), "AVAILABLE"), ((DC,), "CHARGING"), ((DC,), "AVAILABLE"),
                       ((DC, CHADEMO), "UNKNOWN")], True),
)  # fmt: skip

# Ladesäulenregister rows (no live status): the register's own columns
REGISTER_COLUMNS = (
    "Ladeeinrichtungs-ID", "Betreiber", "Anzeigename (Karte)", "Status",
    "Art der Ladeeinrichtung", "Anzahl Ladepunkte", "Nennleistung Ladeeinrichtung [kW]",
    "Inbetriebnahmedatum", "Straße", "Hausnummer", "Postleitzahl", "Ort", "Breitengrad",
    "Längengrad", "Öffnungszeiten", "Bezahlsysteme", "Steckertypen1",
    "Nennleistung Stecker1", "Steckertypen2", "Nennleistung Stecker2",
)  # fmt: skip
REGISTER = (
    ("DEMO-HAMM-01", "Stadtwerke Hamm GmbH (Demo)", "Pelkumer Platz (Demo)", "In Betrieb",
     "Normalladeeinrichtung", "2", "22", "14.05.2021", "Kamener Straße", "198", "59077", "Hamm",
     "51,644600", "7,742600", "24/7", "RFID-Karte; App",
     "AC Steckdose Typ 2", "11", "AC Steckdose Typ 2", "11"),
    ("DEMO-HAMM-02", "Stadtwerke Hamm GmbH (Demo)", "Herringer Markt (Demo)", "In Betrieb",
     "Normalladeeinrichtung", "2", "22", "02.09.2020", "Dortmunder Straße", "35", "59077",
     "Hamm", "51,658900", "7,731700", "24/7", "RFID-Karte",
     "AC Steckdose Typ 2", "22", "AC Steckdose Typ 2", "22"),
    ("DEMO-HAMM-03", "Autohaus am Ring (Demo)", "Werries (Demo)", "In Betrieb",
     "Schnellladeeinrichtung", "2", "50", "21.03.2022", "Alter Uentroper Weg", "120", "59071",
     "Hamm", "51,677600", "7,894200", "Mo-Sa 07:00-20:00", "Kreditkarte; App",
     "DC Kupplung Combo", "50", "DC CHAdeMO", "50"),
    ("DEMO-HAMM-04", "Stadtwerke Hamm GmbH (Demo)", "Westtünnen (Demo)", "In Betrieb",
     "Normalladeeinrichtung", "1", "11", "30.11.2019", "Westtünner Straße", "9", "59069",
     "Hamm", "51,652800", "7,845600", "24/7", "RFID-Karte", "AC Steckdose Typ 2", "11", "", ""),
)  # fmt: skip

# (ref, name, lat, lon, capacity, free, kind of site)
PARKING = (
    ("p-hbf", "P+R Hauptbahnhof (Demo)", MOBILSTATION[0] - 0.0012, MOBILSTATION[1] + 0.0008,
     240, 57, "car_park"),
    ("p-fahrrad-hbf", "Fahrradparkhaus Hauptbahnhof (Demo)", MOBILSTATION[0] + 0.0003,
     MOBILSTATION[1] - 0.0010, 600, 212, "bicycle_parking"),
    ("p-allee", "Parkhaus Allee-Center (Demo)", 51.6790, 7.8175, 1250, 430, "multi_storey"),
    ("p-rathaus", "Tiefgarage Rathaus (Demo)", 51.6822, 7.8214, 180, 12, "underground"),
    ("p-maxipark", "Parkplatz Maximilianpark (Demo)", 51.6755, 7.8768, 800, 655, "surface"),
)  # fmt: skip


def _evse(site: str, number: int, plugs: tuple[dict[str, Any], ...], status: str) -> dict:  # type: ignore[type-arg]
    uid = f"{site}-{number}"
    return {
        "uid": uid,
        "evse_id": f"DE*SWH*E{site}{number}",
        "status": status,
        "capabilities": ["RFID_READER", "CONTACTLESS_CARD_SUPPORT"],
        "connectors": [{"id": str(i), **plug} for i, plug in enumerate(plugs, 1)],
        "physical_reference": str(number),
    }


def location(spec: tuple[Any, ...], now: datetime) -> Location:
    """One demo charging site as an OCPI Location (validated as one from a CPO would be)."""
    site, name, street, postal, lat, lon, evses, all_day = spec
    opening: dict[str, Any] = {"twentyfourseven": all_day}
    if not all_day:
        opening["regular_hours"] = [
            {"weekday": day, "period_begin": "07:00", "period_end": "22:00"} for day in range(1, 7)
        ]
    raw = {
        "country_code": "DE",
        "party_id": "SWH",
        "id": site,
        "name": name,
        "address": street,
        "city": "Hamm",
        "postal_code": postal,
        "country": "DEU",
        "coordinates": {"latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}"},
        "parking_type": "PARKING_GARAGE" if site == "ALLEE" else "ON_STREET",
        "evses": [_evse(site, n, plugs, status) for n, (plugs, status) in enumerate(evses, 1)],
        "operator": OPERATOR,
        "time_zone": "Europe/Berlin",
        "opening_times": opening,
        "last_updated": now.isoformat(),
    }
    return parse(Location, raw)


def charging_sites(now: datetime) -> list[OfferRecord]:
    found = [ocpi.record(location(spec, now)) for spec in CHARGING]
    return [record for record in found if record is not None]


def register_csv() -> bytes:
    """The register's sites of the demo as the Bundesnetzagentur publishes its CSV: a
    preamble, the header line, rows with semicolons and decimal commas."""
    out = io.StringIO()
    out.write("Ladesäulenregister (Demodaten);\nStand: Demo;\n\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(REGISTER)
    return out.getvalue().encode("utf-8")


def parking_sites(now: datetime) -> list[OfferRecord]:
    return [
        OfferRecord(
            ref,
            Offer.PARKING,
            Offer.SITE,
            lat,
            lon,
            name,
            {"capacity": {"total": capacity}, "type": kind, "hasRealtimeData": True},
            {"free": free},
            now,
        )
        for ref, name, lat, lon, capacity, free, kind in PARKING
    ]
