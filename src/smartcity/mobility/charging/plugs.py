"""The common vocabulary of the charging sources: plug standards as OCPI names them
(``IEC_62196_T2``, ``IEC_62196_T2_COMBO``, ``CHADEMO``, ...), the Ladesäulenregister's
German labels mapped onto them, and the summary that answers "free charge points by plug
type and power" the same way for every source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# (words in a lower-cased Ladesäulenregister label, the OCPI standard), first match wins:
# the register writes e.g. "AC Steckdose Typ 2", "DC Kupplung Combo",
# "DC Fahrzeugkupplung Typ Combo (CCS)", "DC CHAdeMO", "AC Schuko", "AC CEE 5 polig".
_LABELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("combo", "typ 1"), "IEC_62196_T1_COMBO"),
    (("ccs1",), "IEC_62196_T1_COMBO"),
    (("combo",), "IEC_62196_T2_COMBO"),
    (("ccs",), "IEC_62196_T2_COMBO"),
    (("chademo",), "CHADEMO"),
    (("tesla",), "TESLA_S"),
    (("schuko",), "DOMESTIC_F"),
    (("cee", "5"), "IEC_60309_2_three_16"),
    (("cee", "rot"), "IEC_60309_2_three_16"),
    (("cee",), "IEC_60309_2_single_16"),
    (("typ 1",), "IEC_62196_T1"),
    (("typ 2",), "IEC_62196_T2"),
    (("typ 3",), "IEC_62196_T3C"),
)


def standard_of(label: str) -> str | None:
    """The OCPI plug standard a Ladesäulenregister label names, None when unknown."""
    text = " ".join(label.lower().replace("-", " ").split())
    for words, standard in _LABELS:
        if all(word in text for word in words):
            return standard
    return None


def power_kw(watts: float | None) -> float | None:
    """Watts as kilowatts rounded to 0.1 kW (None stays None)."""
    return None if watts is None else round(watts / 1000, 1)


Point = tuple[Iterable[str | None], float | None, bool]  # (standards, kW, free)


def summary(points: Iterable[Point], *, live: bool = True) -> list[dict[str, Any]]:
    """Charge points counted by plug standard and power: ``points`` are (standards,
    kilowatts, free) per charge point; one that offers two plugs counts under both, an
    unknown standard as ``UNKNOWN``. With ``live`` each entry says how many are ``free``
    (a source without live status leaves it out). Sorted by power, highest first."""
    table: dict[tuple[str, float | None], list[int]] = {}
    for standards, kw, is_free in points:
        for standard in dict.fromkeys(s or "UNKNOWN" for s in standards):
            counts = table.setdefault((standard, kw), [0, 0])
            counts[0] += 1
            counts[1] += int(is_free)
    ordered = sorted(table.items(), key=lambda item: (-(item[0][1] or 0), item[0][0]))
    entries = []
    for (standard, kw), (total, free) in ordered:
        entry: dict[str, Any] = {"standard": standard, "powerKw": kw, "total": total}
        if live:
            entry["free"] = free
        entries.append(entry)
    return entries
