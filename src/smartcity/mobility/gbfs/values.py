"""The value types GBFS versions write differently: times (v2.3 POSIX seconds, v3.x RFC
3339 strings) and texts (v2.3 one string in the feed's language, v3.x an array of
localized strings), and the choice of language (German, then English, then the first)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

PREFERRED_LANGUAGES = ("de", "en")


def is_v2(version: str) -> bool:
    return version.startswith("2.")


def parse_time(version: str, value: Any) -> datetime:
    """A GBFS timestamp as an aware datetime: POSIX seconds in v2.x, RFC 3339 in v3.x (the
    schema has checked the form; ValueError for one that is still not a time)."""
    if is_v2(version):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"GBFS {version} times are POSIX seconds, not {value!r}")
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError) as error:
            raise ValueError(f"{value!r} is not a time: {error}") from None
    if not isinstance(value, str):
        raise ValueError(f"GBFS {version} times are RFC 3339 strings, not {value!r}")
    at = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    if at.tzinfo is None:
        raise ValueError(f"{value!r} has no offset from UTC")
    return at.astimezone(UTC)


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def pick_language(available: Iterable[str]) -> str | None:
    """German if offered, else English, else the first one; None for none."""
    offered = [str(language) for language in available]
    for wanted in PREFERRED_LANGUAGES:
        for language in offered:
            if language.lower() == wanted or language.lower().startswith(wanted + "-"):
                return language
    return offered[0] if offered else None


def text(value: Any, language: str | None = None) -> str:
    """A text field in the chosen language: v2.3 strings as they are, v3.x localized
    strings (``[{"text": ..., "language": ...}]``) in ``language``, else by preference."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        by_language = {
            str(item.get("language")): str(item.get("text", ""))
            for item in value
            if isinstance(item, dict)
        }
        if language in by_language:
            return by_language[language]
        chosen = pick_language(by_language)
        return by_language[chosen] if chosen is not None else ""
    return str(value)
