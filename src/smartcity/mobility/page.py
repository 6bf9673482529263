"""What the /mobilitaet/ pages show of an offer, in words: its layer on the map, its live
status ("5 Räder, 3 freie Plätze", "2 von 4 Ladepunkten frei (CCS 150 kW)", "123 freie
Plätze"), its age ("vor 2 Minuten", "veraltet") and the walk to it ("ca. 4 Min. zu Fuß").

The server-rendered lists (views.py) use these functions; the page scripts
(static/js/mobilitaet*.js) write the same sentences from :func:`texts`, so that both speak
the request's language with one set of translations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.formats import number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The map's layers: key, label, the offer modes they show (mopeds go with the scooters).
LAYERS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("transit", gettext_lazy("Bus & Bahn"), ("transit",)),
    ("bike", gettext_lazy("Leihräder"), ("bike",)),
    ("scooter", gettext_lazy("E-Scooter"), ("scooter", "moped")),
    ("car", gettext_lazy("Carsharing"), ("car",)),
    ("charging", gettext_lazy("Laden"), ("charging",)),
    ("parking", gettext_lazy("Parken"), ("parking",)),
    ("signal", gettext_lazy("Ampeln"), ("signal",)),
)
LAYER_OF = {mode: key for key, _label, modes in LAYERS for mode in modes}
LABEL_OF = {key: label for key, label, _modes in LAYERS}
PLUGS = {  # OCPI plug standards as people know them
    "IEC_62196_T2_COMBO": "CCS",
    "IEC_62196_T1_COMBO": "CCS (Typ 1)",
    "IEC_62196_T2": "Typ 2",
    "IEC_62196_T1": "Typ 1",
    "CHADEMO": "CHAdeMO",
    "DOMESTIC_F": "Schuko",
    "TESLA_S": "Tesla",
    "GBT_DC": "GB/T",
}


GLYPHS = {"transit": "H", "bike": "R", "scooter": "S", "car": "C", "charging": "L",
          "parking": "P", "signal": "A"}  # fmt: skip  # the letter on a layer's markers


def layers() -> list[dict[str, Any]]:
    return [
        {"key": key, "label": str(label), "modes": list(modes), "glyph": GLYPHS[key]}
        for key, label, modes in LAYERS
    ]


def _vehicles(mode: str, count: int) -> str:
    if mode == "bike":
        return ngettext("%(n)s Rad", "%(n)s Räder", count) % {"n": count}
    if mode == "scooter":
        return ngettext("%(n)s E-Scooter", "%(n)s E-Scooter", count) % {"n": count}
    if mode == "moped":
        return ngettext("%(n)s E-Roller", "%(n)s E-Roller", count) % {"n": count}
    return ngettext("%(n)s Auto", "%(n)s Autos", count) % {"n": count}


def _places(count: int) -> str:
    return ngettext("%(n)s freier Platz", "%(n)s freie Plätze", count) % {"n": count}


def _number(value: float) -> str:
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def _plug(entry: dict[str, Any]) -> str:
    name = PLUGS.get(entry.get("standard") or "", entry.get("standard") or "")
    power = entry.get("powerKw")
    return " ".join(p for p in (name, f"{_number(power)} kW" if power else "") if p)


def sharing_text(offer: dict[str, Any]) -> str:
    status, mode = offer["status"], offer["mode"]
    if offer["kind"] == "vehicle":
        metres = status.get("current_range_meters")
        if metres:
            return _("verfügbar, Reichweite ca. %(km)s km") % {"km": round(metres / 1000)}
        return _("verfügbar")
    if "num_vehicles_available" not in status:
        return _("Verfügbarkeit unbekannt")
    if status.get("is_renting") is False:
        return _("derzeit keine Ausleihe")
    parts = [_vehicles(mode, int(status["num_vehicles_available"]))]
    if status.get("num_docks_available") is not None:
        parts.append(_places(int(status["num_docks_available"])))
    return ", ".join(parts)


def charging_text(offer: dict[str, Any]) -> str:
    status, details = offer["status"], offer["details"]
    plugs = status.get("byPlug") or details.get("byPlug") or []
    best = f" ({_plug(plugs[0])})" if plugs and _plug(plugs[0]) else ""
    if status.get("total"):
        return _("%(free)s von %(total)s Ladepunkten frei") % {
            "free": status.get("free", 0), "total": status["total"]} + best  # fmt: skip
    count = details.get("chargePointCount")
    if count:
        return ngettext("%(n)s Ladepunkt", "%(n)s Ladepunkte", count) % {"n": count} + best
    return _("Ladestation") + best


def parking_text(offer: dict[str, Any]) -> str:
    status, details = offer["status"], offer["details"]
    free = status.get("free")
    capacity = details.get("capacity")  # {"total": n, "disabled": ...} (docs/mobility.md)
    total = capacity.get("total") if isinstance(capacity, dict) else capacity
    if free is not None:
        text = _places(int(free))
        return text + (" " + _("von %(total)s") % {"total": total} if total else "")
    if total:
        return ngettext("%(n)s Stellplatz", "%(n)s Stellplätze", total) % {"n": total}
    return _("Parkplatz")


def transit_text(offer: dict[str, Any]) -> str:
    if offer["kind"] == "vehicle":
        route = offer["status"].get("route")
        return _("Fahrzeug der Linie %(line)s") % {"line": route} if route else _("Fahrzeug")
    lines = [line.get("line") for line in offer["details"].get("lines") or [] if line.get("line")]
    return _("Linien %(lines)s") % {"lines": ", ".join(lines)} if lines else _("Haltestelle")


def status_text(offer: dict[str, Any]) -> str:
    """An offer's live status (of nearby.offer_json) as one German sentence part."""
    mode = offer["mode"]
    if mode == "transit":
        return transit_text(offer)
    if mode in ("bike", "scooter", "moped", "car"):
        return sharing_text(offer)
    if mode == "charging":
        return charging_text(offer)
    if mode == "parking":
        return parking_text(offer)
    state = offer["status"].get("state")
    return _("Ampel: %(state)s") % {"state": state} if state else _("Ampel")


def age_text(freshness: dict[str, Any]) -> str:
    """How old the status is ("vor 2 Minuten"), and "veraltet" when it is stale."""
    seconds = freshness.get("ageSeconds")
    if seconds is None:
        return _("veraltet")
    if seconds < 60:
        age = _("gerade eben")
    elif seconds < 3600:
        n = seconds // 60
        age = ngettext("vor %(n)s Minute", "vor %(n)s Minuten", n) % {"n": n}
    elif seconds < 48 * 3600:
        n = seconds // 3600
        age = ngettext("vor %(n)s Stunde", "vor %(n)s Stunden", n) % {"n": n}
    else:
        n = seconds // 86400
        age = ngettext("vor %(n)s Tag", "vor %(n)s Tagen", n) % {"n": n}
    return _("veraltet") + f" ({age})" if freshness.get("stale") else age


def walk_text(minutes: int) -> str:
    return _("ca. %(n)s Min. zu Fuß") % {"n": minutes}


def shown(offer: dict[str, Any]) -> dict[str, Any]:
    """An offer of the API with what the page writes of it."""
    layer = LAYER_OF.get(offer["mode"], offer["mode"])
    return {
        **offer,
        "layer": layer,
        "layer_label": str(LABEL_OF.get(layer, layer)),
        "text": status_text(offer),
        "age": age_text(offer["freshness"]),
        "walk": walk_text(offer["walkMinutes"]) if "walkMinutes" in offer else "",
        "is_stop": offer["mode"] == "transit" and offer["kind"] != "vehicle",
    }


def _clock(value: str | None) -> str:
    return localtime(datetime.fromisoformat(value)).strftime("%H:%M") if value else ""


def departure(row: dict[str, Any]) -> dict[str, Any]:
    """A departure (Departure.as_json) as the board writes it: its planned time and, from
    realtime, "fällt aus", "hält hier nicht", "Zusatzfahrt" (a trip realtime added), "+3 Min."
    with the expected time or "pünktlich"; without realtime the timetable's time alone."""
    state, late = "", False
    if row["cancelled"]:
        state, late = _("fällt aus"), True
    elif row["skipped"]:
        state, late = _("hält hier nicht"), True
    elif row.get("added"):
        state = _("Zusatzfahrt")  # a trip added by realtime: its time is the feed's
    elif row["delay"] is not None:
        minutes = round(row["delay"] / 60)
        if minutes >= 1:
            state = _("+%(n)s Min., erwartet %(time)s") % {
                "n": minutes, "time": _clock(row["expected"])}  # fmt: skip
            late = minutes >= 5
        elif minutes <= -1:
            state = _("%(n)s Min. früher, erwartet %(time)s") % {
                "n": -minutes, "time": _clock(row["expected"])}  # fmt: skip
        else:
            state = _("pünktlich")
    return {**row, "time": _clock(row["scheduled"]), "state": state, "late": late}


def board(answer: dict[str, Any]) -> dict[str, Any]:
    """A board of live_board.departures as the page writes it."""
    return {
        "departures": [departure(d) for d in answer["departures"]],
        "alerts": [
            {"header": _text(a["header"]), "description": _text(a["description"])}
            for a in answer["alerts"]
        ],
        "realtime": any(feed["applied"] for feed in answer["realtime"]),
        "has_realtime_feed": bool(answer["realtime"]),
    }


def _text(translations: dict[str, str]) -> str:
    """A GTFS-Realtime TranslatedString in German, else without language, else the first."""
    for language in ("de", ""):
        if translations.get(language):
            return translations[language]
    return next(iter(translations.values()), "")
