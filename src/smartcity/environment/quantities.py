"""The quantities the environment dashboard shows, and the ObservedProperty definitions
(URIs) by which it recognises each, as cited data.

A Datastream counts as, say, air temperature when its ObservedProperty's ``definition``
is one of that quantity's URIs below, whichever vocabulary the sensor's owner used; the
first URI of each is the one the platform itself writes (demo, importers). A city adds
its own with ``SMARTCITY_ENVIRONMENT_DEFINITIONS``: a JSON object of URI to quantity key,
e.g. ``{"https://example.org/def/lufttemperatur": "air_temperature"}``.

Sources: EEA/Eionet air quality pollutant vocabulary (http://dd.eionet.europa.eu/
vocabulary/aq/pollutant/); CF standard names as published by MMI (mmisw.org) and by the
NERC Vocabulary Server (vocab.nerc.ac.uk/standard_name/); NERC P01 parameter usage
vocabulary (TEMPPR01, temperature of the water body); EnvThes, the LTER-Europe
environmental thesaurus (22035: air temperature).
"""

from __future__ import annotations

from functools import cache

import orjson
from django.core.exceptions import ImproperlyConfigured

from smartcity.core import config

EIONET = "dd.eionet.europa.eu/vocabulary/aq/pollutant/"


def _both(path: str) -> tuple[str, str]:
    """A URI as published with http and as often written with https."""
    return f"http://{path}", f"https://{path}"


QUANTITIES: dict[str, tuple[str, ...]] = {
    "no2": _both(EIONET + "8"),
    "pm10": _both(EIONET + "5"),
    "pm25": _both(EIONET + "6001"),
    "o3": _both(EIONET + "7"),
    "so2": _both(EIONET + "1"),
    "air_temperature": (
        *_both("mmisw.org/ont/cf/parameter/air_temperature"),
        *_both("vocabs.lter-europe.net/EnvThes/22035"),
        *_both("vocab.nerc.ac.uk/standard_name/air_temperature/"),
    ),
    "water_temperature": _both("vocab.nerc.ac.uk/collection/P01/current/TEMPPR01/"),
    "soil_temperature": (
        *_both("mmisw.org/ont/cf/parameter/soil_temperature"),
        *_both("vocab.nerc.ac.uk/standard_name/soil_temperature/"),
    ),
}


def canonical(definition: str | None) -> str:
    """The platform's own URI for what ``definition`` measures; itself when unknown."""
    if not definition:
        return ""
    key = _known().get(definition.strip())
    return QUANTITIES[key][0] if key else definition


def key_of(definition: str | None) -> str | None:
    """The quantity key ("no2", "air_temperature", ...) of a definition; None: unknown."""
    return _known().get((definition or "").strip())


@cache
def _known() -> dict[str, str]:
    known = {uri: key for key, uris in QUANTITIES.items() for uri in uris}
    known.update(_configured(config.get("ENVIRONMENT_DEFINITIONS")))
    return known


def _configured(raw: str) -> dict[str, str]:
    """The operator's extra definitions, checked: a JSON object of URI to quantity key."""
    if not raw.strip():
        return {}
    try:
        found = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ImproperlyConfigured(
            f"SMARTCITY_ENVIRONMENT_DEFINITIONS must be a JSON object: {error}"
        ) from error
    if not isinstance(found, dict):
        raise ImproperlyConfigured("SMARTCITY_ENVIRONMENT_DEFINITIONS must be a JSON object")
    unknown = sorted({str(v) for v in found.values()} - QUANTITIES.keys())
    if unknown:
        raise ImproperlyConfigured(
            "SMARTCITY_ENVIRONMENT_DEFINITIONS names unknown quantities "
            f"{', '.join(unknown)}; known are {', '.join(QUANTITIES)}"
        )
    return {str(uri).strip(): str(key) for uri, key in found.items()}
