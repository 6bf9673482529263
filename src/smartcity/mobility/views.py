"""The mobility pages (``/mobilitaet/``), German first. Each page renders its offers as HTML
lists, so it works without JavaScript and for screen readers: the start page the nearest
offers of the city centre (and a stop's board when one is chosen), a hub page everything
around a Mobilstation with its departures, printable on A4. The map, the layers, "In meiner
Nähe" and the live boards are built on top by static/js/mobilitaet*.js from the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.core import basemap, config
from smartcity.core.city import city
from smartcity.core.templatetags import site
from smartcity.mobility import live_board, nearby, page
from smartcity.mobility.models import Hub
from smartcity.mobility.page_texts import texts

LIST_LENGTH = 25  # offers in the list beside the map
BOARD_LENGTH = 10  # departures on a board of the page


def centre() -> tuple[float, float]:
    """The city centre as (lon, lat): where its first district's name stands (Hamm: Mitte),
    else the middle of its extent."""
    districts = city().districts
    point = districts[0].label_point if districts else None
    return point or city().extent.center


def _nearest(lat: float, lon: float, radius: int, limit: int) -> list[tuple[dict[str, Any], float]]:
    return nearby.nearest(nearby.Query(lat, lon, radius, nearby.MODES, limit))


def _board(row: dict[str, Any], now: Any) -> dict[str, Any] | None:
    try:
        answer = live_board.departures(row, now, BOARD_LENGTH, now)
    except live_board.NotAStop:
        return None
    return page.board(answer)


def overview(request: HttpRequest) -> HttpResponse:
    lon, lat = centre()
    radius = config.get("MOBILITY_NEARBY_MAX_RADIUS")
    now = timezone.now()
    found = _nearest(lat, lon, radius, LIST_LENGTH)
    offers = [page.shown(nearby.offer_json(row, now, metres)) for row, metres in found]
    chosen, board = _chosen_stop(request, now)
    context = {
        "offers": offers,
        "layers": page.layers(),
        "hubs": Hub.objects.all(),
        "stop": chosen,
        "board": board,
        "demo": any(o["isDemo"] for o in offers),
        "page_data": {
            "center": {"lat": lat, "lon": lon},
            "maxRadius": radius,
            "maxOffers": config.get("MOBILITY_NEARBY_MAX_OFFERS"),
            "api": "/api/v1/mobility/",
            "layers": page.layers(),
            "offers": offers,
            "map": basemap.page_config(
                failed=_(
                    "Die Hintergrundkarte konnte nicht geladen werden; die Karte zeigt die "
                    "Stadtbezirke. Alle Angebote stehen auch in der Liste."
                ),
                noMap=str(texts()["noMap"]),
            ),
            "texts": texts(),
            "time": {"zone": settings.TIME_ZONE, "suffix": site.stamp_suffix()},
        },
    }
    return render(request, "mobility/overview.html", context)


def _chosen_stop(request: HttpRequest, now: Any) -> tuple[dict[str, Any] | None, Any]:
    """The stop of ``?haltestelle=ID`` with its board (the list's links, without JS)."""
    text = request.GET.get("haltestelle", "")
    if not text:
        return None, None
    row = nearby.rows([int(text)]).get(int(text)) if text.isdigit() and len(text) < 12 else None
    board = _board(row, now) if row else None
    if row is None or board is None:
        raise Http404(_("Diese Haltestelle gibt es nicht."))
    return page.shown(nearby.offer_json(row, now)), board


def hub(request: HttpRequest, key: str) -> HttpResponse:
    found = Hub.objects.filter(key=key).first()
    if found is None:
        raise Http404(_("Diese Mobilstation gibt es nicht."))
    now = timezone.now()
    limit = config.get("MOBILITY_NEARBY_MAX_OFFERS")
    rows = _nearest(found.lat, found.lon, found.radius, limit)
    groups = []
    for key_, label, modes in page.LAYERS:
        items = []
        for row, metres in rows:
            if row["mode"] not in modes:
                continue
            offer = page.shown(nearby.offer_json(row, now, metres))
            if offer["is_stop"]:
                offer["board"] = _board(row, now)
            items.append(offer)
        if items:
            groups.append({"key": key_, "label": label, "offers": items})
    context = {
        "hub": found,
        "groups": groups,
        "generated": now,
        "demo": found.is_demo or any(o["isDemo"] for g in groups for o in g["offers"]),
    }
    return render(request, "mobility/hub.html", context)
