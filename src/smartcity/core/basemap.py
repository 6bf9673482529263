"""The base map under the platform's maps: where its style comes from, what a page needs to
draw it (``page_config``), and the two views that serve a base map of the platform's own.

Three ways, chosen by the operator:

* ``SMARTCITY_BASEMAP_URL``: a MapLibre style on another host (default basemap.de); the
  Content-Security-Policy allows that host (core.security).
* ``SMARTCITY_BASEMAP_PMTILES``: a PMTiles archive on the platform's disk, served by
  :func:`tiles` with HTTP Range requests; :func:`style` gives a MapLibre style for it, the
  built-in one (:data:`PROTOMAPS_STYLE`, for the Protomaps basemap schema, with the
  OpenMapTiles layer names too) or the operator's ``SMARTCITY_BASEMAP_STYLE_FILE``. It
  wins over the URL, and the page then loads nothing from another host.
* an empty URL and no archive: no base map; the map shows the districts of the city.

When the base map cannot be loaded the page's map shows the districts too
(static/js/map.js), with a notice.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from smartcity.core import config, ranges
from smartcity.core.city import city

log = logging.getLogger(__name__)

PMTILES_TYPE = "application/vnd.pmtiles"
SOURCE = "basemap"


def pmtiles_file() -> Path | None:
    configured = config.value("BASEMAP_PMTILES").strip()
    return Path(configured) if configured else None


def style_file() -> Path | None:
    configured = config.value("BASEMAP_STYLE_FILE").strip()
    return Path(configured) if configured else None


def style_url() -> str | None:
    """The style the page's map loads: ours when the platform serves the base map, else
    SMARTCITY_BASEMAP_URL; None for no base map."""
    if pmtiles_file() or style_file():
        return reverse("basemap-style")
    return config.value("BASEMAP_URL").strip() or None


def page_config(**texts: str) -> dict[str, Any]:
    """What static/js/map.js needs: the style, whether it reads PMTiles, the districts (the
    fallback when the base map fails) and the map's texts in the request's language; a
    page names what else it shows instead of the map with its own ``failed`` and
    ``noMap`` texts."""
    return {
        "style": style_url(),
        "pmtiles": pmtiles_file() is not None,
        "districts": districts_geojson(),
        "locale": _maplibre_texts(),
        "texts": {
            "failed": _(
                "Die Hintergrundkarte konnte nicht geladen werden; die Karte zeigt "
                "die Stadtbezirke. Messstellen und Tabelle sind vollständig."
            ),
            "noMap": _(
                "Die Karte kann in diesem Browser nicht angezeigt werden (WebGL "
                "fehlt). Alle Angaben stehen in der Tabelle."
            ),
            **texts,
        },
    }


def _maplibre_texts() -> dict[str, str]:
    """MapLibre's own texts (its ``locale`` option) in the request's language."""
    return {
        "Map.Title": _("Karte"),
        "Marker.Title": _("Markierung"),
        "NavigationControl.ZoomIn": _("Vergrößern"),
        "NavigationControl.ZoomOut": _("Verkleinern"),
        "NavigationControl.ResetBearing": _("Nach Norden ausrichten"),
        "AttributionControl.ToggleAttribution": _("Quellenangaben zeigen oder verbergen"),
        "Popup.Close": _("Schließen"),
        "CooperativeGesturesHandler.WindowsHelpText": _("Zum Zoomen Strg und Mausrad benutzen"),
        "CooperativeGesturesHandler.MacHelpText": _("Zum Zoomen ⌘ und Mausrad benutzen"),
        "CooperativeGesturesHandler.MobileHelpText": _("Die Karte mit zwei Fingern verschieben"),
    }


def districts_geojson() -> dict[str, Any]:
    """The city's districts as GeoJSON: the outlines where known, and one label point per
    district where one is known."""
    features: list[dict[str, Any]] = []
    for district in city().districts:
        if district.outline is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": district.outline,
                    "properties": {"name": district.name, "role": "outline"},
                }
            )
        point = district.label_point
        if point is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(point)},
                    "properties": {"name": district.name, "role": "label"},
                }
            )
    return {"type": "FeatureCollection", "features": features}


@require_safe
def tiles(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The operator's PMTiles archive, whole or in the byte range asked for."""
    path = pmtiles_file()
    if path is None or not path.is_file():
        return JsonResponse(
            {
                "code": 404,
                "type": "error",
                "message": _("Diese Plattform stellt keine eigene Hintergrundkarte bereit."),
            },
            status=404,
        )
    return ranges.serve(request, path, PMTILES_TYPE)


@require_safe
def style(request: HttpRequest) -> HttpResponse:
    """The MapLibre style of the platform's own base map, its vector sources pointing to
    :func:`tiles` (``pmtiles://`` URL, read by the pmtiles library in the browser)."""
    archive, own = pmtiles_file(), style_file()
    if archive is None and own is None:
        return JsonResponse(
            {
                "code": 404,
                "type": "error",
                "message": _("Diese Plattform stellt keine eigene Hintergrundkarte bereit."),
            },
            status=404,
        )
    try:
        document = json.loads(own.read_text(encoding="utf-8")) if own else PROTOMAPS_STYLE
    except (OSError, ValueError) as error:
        log.warning("SMARTCITY_BASEMAP_STYLE_FILE %s cannot be read: %s", own, error)
        return JsonResponse(
            {
                "code": 503,
                "type": "error",
                "message": _("Der Stil der Hintergrundkarte kann nicht gelesen werden."),
            },
            status=503,
        )
    if not isinstance(document, dict) or not isinstance(document.get("sources"), dict):
        log.warning("SMARTCITY_BASEMAP_STYLE_FILE %s is no MapLibre style", own)
        return JsonResponse(
            {
                "code": 503,
                "type": "error",
                "message": _("Der Stil der Hintergrundkarte ist kein MapLibre-Stil."),
            },
            status=503,
        )
    if archive is not None:
        document = _pointed_to(
            document, "pmtiles://" + request.build_absolute_uri(reverse("basemap-tiles"))
        )
    response = JsonResponse(document)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _pointed_to(document: dict[str, Any], url: str) -> dict[str, Any]:
    """``document`` with every vector source reading the archive at ``url``."""
    sources = {}
    for name, source in document["sources"].items():
        if isinstance(source, dict) and source.get("type") == "vector":
            source = {k: v for k, v in source.items() if k != "tiles"} | {"url": url}
        sources[name] = source
    return document | {"sources": sources}


def _fill(layer: str, source_layer: str, colour: str, **filters: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": layer,
        "type": "fill",
        "source": SOURCE,
        "source-layer": source_layer,
        "paint": {"fill-color": colour},
    }
    return found | filters


def _line(
    layer: str, source_layer: str, colour: str, width: list[Any], **filters: Any
) -> dict[str, Any]:
    return {
        "id": layer,
        "type": "line",
        "source": SOURCE,
        "source-layer": source_layer,
        "layout": {"line-cap": "round", "line-join": "round"},
        "paint": {"line-color": colour, "line-width": width},
    } | filters


_WIDE = ["interpolate", ["linear"], ["zoom"], 10, 1, 15, 6]
_NARROW = ["interpolate", ["linear"], ["zoom"], 12, 0.5, 16, 3]
_GREEN = [
    "park",
    "wood",
    "forest",
    "grass",
    "meadow",
    "nature_reserve",
    "farmland",
    "cemetery",
    "garden",
    "recreation_ground",
]

# No text, no icons: the style needs no glyphs or sprites from anywhere, and the station
# markers stay the one thing on the map that speaks. Layers whose source-layer the
# archive lacks draw nothing, so one style serves both schemas.
PROTOMAPS_STYLE: dict[str, Any] = {
    "version": 8,
    "name": "smartcity (Protomaps / OpenMapTiles)",
    "sources": {SOURCE: {"type": "vector", "attribution": "© OpenStreetMap"}},
    "layers": [
        {"id": "background", "type": "background", "paint": {"background-color": "#eeece6"}},
        _fill("earth", "earth", "#f4f2ec"),
        _fill(
            "landuse-green",
            "landuse",
            "#dbe8cf",
            filter=["in", ["get", "kind"], ["literal", _GREEN]],
        ),
        _fill("landcover", "landcover", "#dde9d2"),
        _fill("omt-landuse", "landuse", "#e8e4da", filter=["has", "class"]),
        _fill("omt-park", "park", "#dbe8cf"),
        _fill("water", "water", "#b7d2e8"),
        _line("waterway", "waterway", "#b7d2e8", _NARROW),
        _fill("buildings", "buildings", "#e2dcd3", minzoom=13),
        _fill("building", "building", "#e2dcd3", minzoom=13),
        _line(
            "roads-minor",
            "roads",
            "#ffffff",
            _NARROW,
            filter=["!", ["in", ["get", "kind"], ["literal", ["highway", "major_road"]]]],
        ),
        _line(
            "roads-major",
            "roads",
            "#f7e2b0",
            _WIDE,
            filter=["in", ["get", "kind"], ["literal", ["highway", "major_road"]]],
        ),
        _line("transportation", "transportation", "#ffffff", _NARROW),
        _line(
            "boundaries",
            "boundaries",
            "#9a8fa8",
            ["interpolate", ["linear"], ["zoom"], 8, 0.5, 14, 1.5],
        ),
        _line(
            "boundary",
            "boundary",
            "#9a8fa8",
            ["interpolate", ["linear"], ["zoom"], 8, 0.5, 14, 1.5],
        ),
    ],
}
