"""One row of the Ladesäulenregister as an offer: the columns the register names (its
2024 layout, and the older one without ``Ladeeinrichtungs-ID`` whose power columns are
``P1 [kW]``), numbers with a decimal comma, up to six charge points per row, each with
its plug types (``Steckertypen1``) and power (``Nennleistung Stecker1``).

A row is rejected (with its column) when its position or its counts are not numbers;
columns that only describe (a date, an opening time) are kept as they are or left out."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from smartcity.core.geo import BBox
from smartcity.mobility.charging import plugs
from smartcity.mobility.models import Offer
from smartcity.mobility.offers import OfferRecord

LAT, LON = "Breitengrad", "Längengrad"
MAX_POINTS = 6  # the register has column groups for up to six charge points per row
# the first of these names the header has is the column (older files spell some otherwise)
ALIASES = {
    "type": ("Art der Ladeeinrichtung", "Art der Ladeeinrichung"),
    "power": ("Nennleistung Ladeeinrichtung [kW]",),
}
KINDS = {"normalladeeinrichtung": "normal", "schnellladeeinrichtung": "fast"}
_SPLIT = re.compile(r"\s*[;,]\s*")


class RowError(ValueError):
    """What is wrong with one cell of a row."""

    def __init__(self, column: str, why: str) -> None:
        super().__init__(why)
        self.column, self.why = column, why


@dataclass(frozen=True)
class Columns:
    """Where each column stands in the header line (the header as it was found)."""

    index: dict[str, int]

    @classmethod
    def of(cls, header: list[str]) -> Columns:
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            index.setdefault(name.strip(), position)
        return cls(index)

    def cell(self, row: list[str], *names: str) -> str:
        """The stripped cell of the first of ``names`` the header has ("" when none)."""
        for name in names:
            position = self.index.get(name)
            if position is not None:
                return row[position].strip() if position < len(row) else ""
        return ""


def number(text: str, column: str) -> float | None:
    """A number as the register writes it (``51,4305``, ``22``, ``1.234,5``); None for an
    empty cell."""
    if not text:
        return None
    cleaned = text.replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise RowError(column, f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RowError(column, f"{text!r} is not a finite number")
    return value


def position(columns: Columns, row: list[str]) -> tuple[float, float]:
    """(lat, lon) of the row; RowError when either is missing or off the Earth."""
    lat = number(columns.cell(row, LAT), LAT)
    lon = number(columns.cell(row, LON), LON)
    if lat is None or not -90 <= lat <= 90:
        raise RowError(LAT, f"{columns.cell(row, LAT)!r} is no latitude")
    if lon is None or not -180 <= lon <= 180:
        raise RowError(LON, f"{columns.cell(row, LON)!r} is no longitude")
    return lat, lon


def inside(area: BBox, lat: float, lon: float) -> bool:
    return area.min_y <= lat <= area.max_y and area.min_x <= lon <= area.max_x


def _date(text: str) -> str | None:
    """``11.01.2020`` as ``2020-01-11``; None for anything else."""
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match is None:
        return None
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def charge_points(columns: Columns, row: list[str]) -> list[dict[str, Any]]:
    """The charge points the row describes, each with its plug labels, their standards,
    its power in kW and its EVSE id (where the register gives one)."""
    points = []
    for n in range(1, MAX_POINTS + 1):
        column = f"Steckertypen{n}"
        labels = [label for label in _SPLIT.split(columns.cell(row, column)) if label]
        power_column = f"Nennleistung Stecker{n}"
        power_text = columns.cell(row, power_column, f"P{n} [kW]")
        evse = columns.cell(row, f"EVSE-ID{n}")
        if not (labels or power_text or evse):
            continue
        point: dict[str, Any] = {
            "plugs": labels,
            "standards": [plugs.standard_of(label) for label in labels],
            "powerKw": number(power_text, power_column),
        }
        if evse:
            point["evseId"] = evse
        points.append(point)
    return points


def _count(columns: Columns, row: list[str], found: int) -> int:
    text = columns.cell(row, "Anzahl Ladepunkte")
    value = number(text, "Anzahl Ladepunkte")
    if value is None:
        return found
    if value != int(value) or value < 0:
        raise RowError("Anzahl Ladepunkte", f"{text!r} is not a number of charge points")
    return int(value)


def _ref(columns: Columns, row: list[str], lat: float, lon: float) -> str:
    """The register's id; older files have none: a digest of what identifies the device."""
    given = columns.cell(row, "Ladeeinrichtungs-ID")
    if given:
        return given
    parts = [columns.cell(row, name) for name in ("Betreiber", "Straße", "Hausnummer")]
    parts += [f"{lat:.6f}", f"{lon:.6f}", columns.cell(row, "Inbetriebnahmedatum")]
    return "h" + hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _opening(columns: Columns, row: list[str]) -> dict[str, Any]:
    text = columns.cell(row, "Öffnungszeiten")
    opening: dict[str, Any] = {"twentyfourseven": text.replace("/", "") == "247" or None}
    if text and opening["twentyfourseven"] is None:
        opening["text"] = text
    for key, name in (
        ("weekdays", "Öffnungszeiten: Wochentage"),
        ("times", "Öffnungszeiten: Tageszeiten"),
    ):
        value = columns.cell(row, name)
        if value:
            opening[key] = value
    return opening


def _address(columns: Columns, row: list[str]) -> dict[str, str]:
    street = " ".join(filter(None, (columns.cell(row, "Straße"), columns.cell(row, "Hausnummer"))))
    address = {
        "street": street,
        "extra": columns.cell(row, "Adresszusatz"),
        "postalCode": columns.cell(row, "Postleitzahl"),
        "city": columns.cell(row, "Ort"),
        "country": "DEU",
    }
    return {key: value for key, value in address.items() if value}


def site(columns: Columns, row: list[str], lat: float, lon: float) -> OfferRecord:
    """The row as an offer of mode ``charging``, kind ``site`` (details: docs/mobility.md)."""
    points = charge_points(columns, row)
    operator = columns.cell(row, "Betreiber")
    power = number(columns.cell(row, *ALIASES["power"]), ALIASES["power"][0])
    kind = columns.cell(row, *ALIASES["type"])
    address = _address(columns, row)
    payment = [p for p in _SPLIT.split(columns.cell(row, "Bezahlsysteme")) if p]
    details: dict[str, Any] = {
        "source": "bnetza",
        "operator": operator,
        "address": address,
        "opening": _opening(columns, row),
        "type": KINDS.get(kind.lower(), kind.lower() or None),
        "chargePointCount": _count(columns, row, len(points)),
        "powerKw": power,
        "chargePoints": points,
        "byPlug": plugs.summary(
            ((p["standards"], p["powerKw"], False) for p in points), live=False
        ),
        "commissioned": _date(columns.cell(row, "Inbetriebnahmedatum")),
        "registerStatus": columns.cell(row, "Status") or None,
        "payment": payment,
        "parking": columns.cell(row, "Informationen zum Parkraum") or None,
        "place": columns.cell(row, "Standortbezeichnung") or None,
    }
    shown = columns.cell(row, "Anzeigename (Karte)") or operator
    name = ", ".join(filter(None, (shown, address.get("street"))))
    return OfferRecord(
        ref=_ref(columns, row, lat, lon),
        mode=Offer.CHARGING,
        kind=Offer.SITE,
        lat=lat,
        lon=lon,
        name=name,
        details={key: value for key, value in details.items() if value not in (None, [], "")},
    )
