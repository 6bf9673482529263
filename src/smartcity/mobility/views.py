"""The mobility pages (``/mobilitaet/``), German first. Each page renders its offers as HTML
lists, so it works without JavaScript and for screen readers: the start page the nearest
offers of the city centre (and a stop's board when one is chosen), a hub page everything
around a Mobilstation with its departures, printable on A4. The map, the layers, "In meiner
Nähe" and the live boards are built on top by static/js/mobilitaet*.js from the API."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcity.core import basemap, config, pdf
from smartcity.core.city import city
from smartcity.core.templatetags import site
from smartcity.mobility import board, live_board, nearby, page, search, sheet, sheet_render
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


def _search(request: HttpRequest) -> dict[str, Any]:
    """The search of ``?suche=`` and the place of ``?nahe=`` (a stop or hub it found)."""
    text = request.GET.get("suche", "").strip()
    answer: dict[str, Any] = {"query": text, "matches": None, "error": "", "origin": None}
    if text:
        try:
            answer["matches"] = search.find(text, config.get("MOBILITY_SEARCH_MAX_RESULTS"))
        except search.SearchError:
            answer["error"] = _("Bitte mindestens zwei Buchstaben oder Ziffern und höchstens "
                                "%(n)s Zeichen eingeben.") % {"n": search.MAX_QUERY}  # fmt: skip
    chosen = request.GET.get("nahe", "")
    if chosen:
        try:
            answer["origin"] = search.place(chosen[:300])
        except search.SearchError:
            answer["error"] = _("Dieser Ort ist nicht lesbar; bitte wählen Sie ihn aus der "
                                "Trefferliste.")  # fmt: skip
        else:
            if answer["origin"] is None:
                raise Http404(_("Diesen Ort gibt es nicht."))
    return answer


def overview(request: HttpRequest) -> HttpResponse:
    searched = _search(request)
    origin = searched["origin"]
    lon, lat = (origin.lon, origin.lat) if origin else centre()
    radius = config.get("MOBILITY_NEARBY_MAX_RADIUS")
    now = timezone.now()
    found = _nearest(lat, lon, radius, LIST_LENGTH)
    offers = [page.shown(nearby.offer_json(row, now, metres)) for row, metres in found]
    chosen, board = _chosen_stop(request, now)
    context = {
        "search": searched,
        "offers": offers,
        "layers": page.layers(),
        "hubs": Hub.objects.all(),
        "stop": chosen,
        "board": board,
        "demo": any(o["isDemo"] for o in offers),
        "page_data": {
            "center": {"lat": lat, "lon": lon},
            "origin": {"name": origin.name, "lat": lat, "lon": lon} if origin else None,
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
    status = 400 if searched["error"] else 200
    return render(request, "mobility/overview.html", context, status=status)


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


MAX_ID = 2**63 - 1  # larger ids cannot be in the store (and SQLite cannot bind them)


def _stop_offer(offer_id: int) -> dict[str, Any]:
    """The offer of a sheet's URL, or a 404."""
    row = nearby.rows([offer_id]).get(offer_id) if offer_id <= MAX_ID else None
    if row is None:
        raise Http404(_("Diese Haltestelle gibt es nicht."))
    return row


def _sheet_day(request: HttpRequest) -> date | str:
    """The day of ``?datum=`` (default today), or why it cannot be read."""
    text = request.GET.get("datum", "")
    if not text:
        return timezone.localdate()
    try:
        return board.parse_day(text)
    except board.BadDay as error:
        if error.malformed:
            return _("Bitte das Datum als JJJJ-MM-TT angeben, zum Beispiel %(day)s.") % {
                "day": timezone.localdate().isoformat()}  # fmt: skip
        return _("Bitte ein Datum zwischen dem %(first)s und dem %(last)s angeben.") % {
            "first": board.FIRST_DAY.strftime("%d.%m.%Y"),
            "last": board.LAST_DAY.strftime("%d.%m.%Y")}  # fmt: skip


def _sheet_context(request: HttpRequest, offer_id: int) -> dict[str, Any] | HttpResponse:
    """What the sheet of a stop shows (HTML and PDF alike), or the 400 of a bad date."""
    row = _stop_offer(offer_id)
    day = _sheet_day(request)
    if isinstance(day, str):
        back = reverse("mobility-sheet", args=[offer_id])
        return render(request, "mobility/sheet_error.html", {"message": day, "back": back},
                      status=400)  # fmt: skip
    limit = config.get("MOBILITY_SHEET_MAX_DEPARTURES")
    try:
        found = sheet.sheet(row, day, limit=limit)
    except live_board.NotAStop:
        raise Http404(_("Diese Haltestelle hat keinen Fahrplan.")) from None
    query = f"?datum={day.isoformat()}"
    board_url = reverse("mobility") + f"?haltestelle={offer_id}#abfahrten"
    return {
        "sheet": found,
        "stop_id": offer_id,
        "stop_name": row["name"] or row["ref"],
        "stop_wheelchair": row["details"].get("wheelchair", 0),
        "board_url": request.build_absolute_uri(board_url),
        "sheet_url": request.build_absolute_uri(reverse("mobility-sheet", args=[offer_id]) + query),
        "pdf_path": reverse("mobility-sheet-pdf", args=[offer_id]) + query,
    }


def stop_sheet(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The departure sheet of a stop for a day, as a page (the PDF is rendered from it)."""
    context = _sheet_context(request, offer_id)
    if isinstance(context, HttpResponse):
        return context
    return render(request, "mobility/sheet.html", context)


def stop_sheet_pdf(request: HttpRequest, offer_id: int) -> HttpResponse:
    """The departure sheet of a stop for a day as an A4 PDF/A-3b."""
    context = _sheet_context(request, offer_id)
    if isinstance(context, HttpResponse):
        return context
    found: sheet.Sheet = context["sheet"]
    title = _("Aushangfahrplan %(name)s, %(day)s") % {
        "name": context["stop_name"], "day": date_format(found.day, "l, j. F Y")}  # fmt: skip
    language = get_language() or "de"
    depends = (offer_id, found.day, found.version.pk, found.limit, context["stop_name"],
               context["sheet_url"], language)  # fmt: skip  # what the PDF depends on
    key = "mobility-sheet:" + hashlib.sha256(repr(depends).encode()).hexdigest()
    try:  # a busy station's sheet takes WeasyPrint seconds: cached, and capped (sheet_render)
        body = sheet_render.pdf(key, lambda: pdf.from_template(
            "mobility/sheet_pdf.html", context, title=title, language=language))  # fmt: skip
    except sheet_render.Busy:
        busy = render(request, "mobility/sheet_busy.html",
                      {"page_url": context["sheet_url"]}, status=503)  # fmt: skip
        busy["Retry-After"] = str(sheet_render.RETRY_AFTER)
        return busy
    response = HttpResponse(body, content_type="application/pdf")
    name = f"aushang-{offer_id}-{found.day.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
