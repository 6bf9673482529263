"""The checks every parking and signal source shares: texts without NUL characters (no
store keeps one), counts that are whole numbers of at least zero, positions on the Earth
and inside the area, times in ISO 8601. Each raises ValueError with the field's name, so
that ``report.record(where)`` rejects just that record."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from smartcity.core.geo import BBox

MAX_TEXT = 4096  # the longest text kept of any field (ParkAPI allows 4096 for descriptions)


def text(value: Any, name: str) -> str | None:
    """A text (stripped; None when empty or absent); numbers are written as text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{name}: expected a text, not {type(value).__name__}")
    found = str(value).strip()
    if "\x00" in found:
        raise ValueError(f"{name}: the text holds a NUL character")
    return found[:MAX_TEXT] or None


def count(value: Any, name: str) -> int | None:
    """A whole number of at least zero (None when absent); "12" is read as 12."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a number") from None
    if not math.isfinite(number) or number < 0 or number != int(number) or number > 2**31:
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a count")
    return int(number)


def number(value: Any, name: str) -> float | None:
    """A finite number (None when absent); "2.1" is read as 2.1."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name}: expected a number, not {value!r}")
    try:
        found = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a number") from None
    if not math.isfinite(found):
        raise ValueError(f"{name}: {str(value)[:40]!r} is not a finite number")
    return found


def flag(value: Any, name: str) -> bool | None:
    """true/false (also as the texts "true", "false", "yes", "no"); None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ValueError(f"{name}: {str(value)[:40]!r} is not true or false")


def position(lat: Any, lon: Any) -> tuple[float, float]:
    """(lat, lon), both given and on the Earth."""
    found_lat, found_lon = number(lat, "lat"), number(lon, "lon")
    if found_lat is None or not -90 <= found_lat <= 90:
        raise ValueError(f"lat: {str(lat)[:40]!r} is no latitude")
    if found_lon is None or not -180 <= found_lon <= 180:
        raise ValueError(f"lon: {str(lon)[:40]!r} is no longitude")
    return found_lat, found_lon


def inside(area: BBox, lat: float, lon: float) -> bool:
    return area.contains(lon, lat)


def when(value: Any, name: str) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset; one without is taken as UTC); None when absent."""
    found = text(value, name)
    if found is None:
        return None
    try:
        parsed = datetime.fromisoformat(found.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name}: {found[:40]!r} is not an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def radius_of(area: BBox) -> float:
    """Metres from the area's centre to its farthest corner (a circle that holds it)."""
    lon, lat = area.center
    dlat = math.radians(area.max_y - lat)
    dlon = math.radians(area.max_x - lon)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat)) * math.cos(math.radians(area.max_y)) * math.sin(dlon / 2) ** 2
    )
    return 2 * 6371000 * math.asin(math.sqrt(a))


def compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """The mapping without the keys that have no value (None, "", [], {})."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}
