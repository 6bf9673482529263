"""A measuring series' aggregates as CSV, in two dialects:

* ``csv``: RFC 4180 (comma, full precision, UTC instants in ISO 8601), for programs;
* ``csv-de``: for German spreadsheets (Excel, LibreOffice in German): semicolon, decimal
  comma, local time ``TT.MM.JJJJ HH:MM`` with MEZ/MESZ beside it (so the hour the clocks
  go back is not ambiguous), rounded per unit, UTF-8 with a byte order mark so that Excel
  reads the umlauts and "µg/m³".

Every line names its station, quantity and unit, so that a file still says what it holds
when it is opened on its own, and a comparison of two stations is one file with the lines
of both.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from smartcity.core.timeutil import format_instant, local_time
from smartcity.sensors import services as sensors

# decimals a value of a unit is shown with (German variant); anything else: 2
DECIMALS = {"µg/m³": 1, "mg/m³": 2, "°C": 1, "%": 0, "hPa": 0, "ppm": 0, "dB(A)": 0}
_ZONE_NAMES = {"CET": "MEZ", "CEST": "MESZ"}  # the zone abbreviations in German


@dataclass(frozen=True)
class Series:
    """One datastream's buckets with what names them."""

    datastream: int
    station: str
    quantity: str
    unit: str
    buckets: list[sensors.Bucket]


def series_info(datastream: int, buckets: list[sensors.Bucket]) -> Series:
    found = sensors.stream_catalogue(datastream=datastream)
    if not found:
        return Series(datastream, "", "", "", buckets)
    info = found[0]
    return Series(datastream, info.thing_name, info.property_name, info.unit_symbol or "", buckets)


def rfc_csv(series: list[Series]) -> str:
    """RFC 4180: the six figures of each bucket, then which series it belongs to."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["start", "end", "count", "mean", "min", "max", "datastream", "station", "quantity", "unit"]
    )
    for one in series:
        for b in one.buckets:
            writer.writerow(
                [
                    format_instant(b.start),
                    format_instant(b.end),
                    b.count,
                    *("" if v is None else repr(v) for v in (b.mean, b.minimum, b.maximum)),
                    one.datastream,
                    one.station,
                    one.quantity,
                    one.unit,
                ]
            )
    return out.getvalue()


def german_csv(series: list[Series]) -> bytes:
    """Semicolons, decimal commas, local time, rounded per unit, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Messstelle",
            "Messgröße",
            "Einheit",
            "Beginn",
            "Ende",
            "Zeitzone",
            "Anzahl Werte",
            "Mittelwert",
            "Minimum",
            "Maximum",
        ]
    )
    for one in series:
        decimals = DECIMALS.get(one.unit, 2)
        for b in one.buckets:
            start, end = local_time(b.start), local_time(b.end)
            zone = start.tzname() or ""
            writer.writerow(
                [
                    one.station,
                    one.quantity,
                    one.unit,
                    f"{start:%d.%m.%Y %H:%M}",
                    f"{end:%d.%m.%Y %H:%M}",
                    _ZONE_NAMES.get(zone, zone),
                    b.count,
                    *(german_number(v, decimals) for v in (b.mean, b.minimum, b.maximum)),
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def german_number(value: float | None, decimals: int) -> str:
    """``value`` rounded half up to ``decimals`` places with a decimal comma, no thousands
    separator (a spreadsheet reads "1234,5" as a number, "1.234,5" not everywhere)."""
    if value is None:
        return ""
    # half up from the shortest decimal that is the float (12.35 -> 12,4), as people round
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # -0,0 is 0,0
    return text.replace(".", ",")
