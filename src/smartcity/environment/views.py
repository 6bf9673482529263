"""The environment dashboard's pages (``/umwelt/``), German first. Every page renders its
figures as HTML tables, so it works without JavaScript and for screen readers; the map,
the charts and the live updates are built on top by static/js/umwelt*.js."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from smartcity.core import basemap
from smartcity.core.city import city
from smartcity.core.errors import ApiError
from smartcity.core.templatetags import site
from smartcity.environment import airquality, dashboard, live, services
from smartcity.environment.dashboard import SOIL, WATER


def _with_index(station: dict[str, object]) -> dict[str, object]:
    """An air station's map entry with its UBA index from hourly means, the one its page
    shows (services.station_index), so the map's colour and number say the same."""
    if station["kind"] == dashboard.AIR:
        thing = station["thing"]
        assert isinstance(thing, int)
        station["index"] = services.index_json(services.station_index(thing))
    return station


def _context(stations: list[dashboard.Station], **extra: object) -> dict[str, object]:
    return {
        "stations": stations,
        "stale_after_hours": int(dashboard.STALE_AFTER.total_seconds() // 3600),
        "page_data": {
            "stations": [_with_index(dashboard.station_json(s)) for s in stations],
            "scales": dashboard.scales_json(),
            "staleAfterSeconds": int(dashboard.STALE_AFTER.total_seconds()),
            "live": live.PATH,
            "city": {"center": city().extent.center},  # the map's view before stations fit
            "map": basemap.page_config(),  # base map, districts, texts (static/js/map.js)
            "texts": _texts(),
            # the zone and the format of every date the scripts write (core.templatetags.site)
            "time": {"zone": settings.TIME_ZONE, "suffix": site.stamp_suffix()},
        },
        "time_zone": settings.TIME_ZONE,
        "scales": dashboard.SCALES,
        "demo": any(s.demo for s in stations),
        "advice": dashboard.AIR_ADVICE,
        "classes": dashboard.AIR_SCALE.labels,
        **extra,
    }


def _texts() -> dict[str, object]:
    """What the page scripts write, in the request's language."""
    return {
        "stale": _("veraltet"),
        "noClass": _("ohne Einstufung"),
        "klass": _("Klasse"),
        "noData": _("keine Daten"),
        "asOf": _("Stand:"),
        "indexFrom": _("Luftqualitätsindex aus den Stundenmitteln bis %(time)s, bestimmt von "
                       "%(pollutant)s"),
        "pollutants": {key: str(name) for key, name in POLLUTANT_NAMES.items()},
        "noMap": _("Die Karte kann in diesem Browser nicht angezeigt werden (WebGL fehlt). "
                   "Alle Angaben stehen in der Tabelle."),
        "noLive": _("Dieser Browser kann keine Live-Aktualisierung empfangen; bitte neu laden."),
        "connected": _("Live-Aktualisierung verbunden: neue Messwerte erscheinen automatisch."),
        "reconnecting": _("Verbindung unterbrochen, neuer Versuch …"),
        "updatedOne": _("1 neuer Messwert, zuletzt um %(time)s."),
        "updated": _("%(count)s neue Messwerte, zuletzt um %(time)s."),
        "loading": _("Daten werden geladen …"),
        "loadFailed": _("Die Daten konnten nicht geladen werden."),
        "noValues": _("Keine Messwerte in diesem Zeitraum."),
        "time": _("Zeitpunkt (Ortszeit)"),
        "mean": _("Mittelwert"),
        "min": _("Minimum"),
        "max": _("Maximum"),
        "value": _("Wert"),
        "limit": _("Grenzwert"),
        "chartOf": pgettext("the heading of a chart: Verlauf <quantity>", "Verlauf"),
        "rawValues": _("Alle Einzelwerte"),
        "hourly": _("Stundenmittel"),
        "daily": _("Tagesmittel"),
        # the map's tools (static/js/umwelt-tools.js)
        "myPosition": _("Meine Position"),
        "locating": _("Position wird bestimmt …"),
        "noPosition": _("Die Position konnte nicht bestimmt werden (Freigabe im Browser?)."),
        "noStation": _("Keine Messstelle auf der Karte; bitte eine Art auswählen."),
        "nearest": _("Nächste Messstelle: %(name)s, %(distance)s entfernt."),
        "found": _("%(name)s auf der Karte gezeigt."),
        "notFound": _("Keine Messstelle und kein Stadtbezirk heißt so."),
        "cluster": _("%(count)s Messstellen nah beieinander: heranzoomen"),
    }


def overview(request: HttpRequest) -> HttpResponse:
    stations = dashboard.stations()
    return render(request, "environment/overview.html", _context(stations))


KIND_PAGES = {
    WATER: gettext_lazy("Wassertemperatur an Lippe und Kanal"),
    SOIL: gettext_lazy("Bodentemperatur"),
}


def kind_overview(request: HttpRequest, kind: str) -> HttpResponse:
    title = KIND_PAGES[kind]
    stations = dashboard.stations(kind=kind)
    return render(
        request,
        "environment/kind.html",
        _context(stations, kind=kind, title=title, scale=dashboard.SCALES[kind]),
    )


def station(request: HttpRequest, thing: int) -> HttpResponse:
    everywhere = dashboard.stations()  # this station's series and the ones to compare with
    found = [st for st in everywhere if st.thing == thing]
    if not found:
        raise Http404(_("Diese Messstelle gibt es nicht."))
    streams = [s for st in found for s in st.streams]
    index = services.station_index(thing) if any(s.kind == dashboard.AIR for s in found) else None
    comparable = {
        s.datastream: [
            {"datastream": o.datastream, "name": o.name}
            for other in everywhere
            for o in other.streams
            if o.definition == s.definition and o.datastream != s.datastream
        ]
        for st in found
        for s in st.streams
    }
    limits = {
        s.datastream: [
            {"label": _limit_label(lv), "value": lv.value, "averaging": lv.averaging}
            for lv in airquality.LIMIT_VALUES
            if lv.pollutant == airquality.POLLUTANTS.get(s.definition)
        ]
        for s in streams
    }
    missing = [] if index is None or index.index is None else [
        str(POLLUTANT_NAMES[p]) for p in airquality.INDEX_BOUNDS if p not in index.index.classes]
    context = _context(found, station=found[0], streams=streams, index=index,
                       pollutant_names=POLLUTANT_NAMES, index_missing=", ".join(missing))
    context["page_data"] |= {"comparable": comparable, "limits": limits,
                             "thing": thing}  # type: ignore[operator]
    return render(request, "environment/station.html", context)


POLLUTANT_NAMES = {
    "no2": "NO₂",
    "pm10": "PM10",
    "pm25": gettext_lazy("PM2,5"),  # the decimal separator of the language
    "o3": "O₃",
    "so2": "SO₂",
}


def _limit_label(limit: airquality.LimitValue) -> str:
    directive = _("Richtlinie %(directive)s") % {
        "directive": airquality.DIRECTIVES_DE[limit.directive]}
    if limit.from_year > timezone.localtime().year:
        return directive + ", " + _("ab %(year)d") % {"year": limit.from_year}
    return directive


def limits(request: HttpRequest, thing: int) -> HttpResponse:
    found = dashboard.stations(thing=thing, kind=dashboard.AIR)
    if not found:
        raise Http404(_("Diese Messstelle misst keine Luftschadstoffe."))
    now = timezone.localtime()
    text = request.GET.get("jahr", str(now.year))
    year = int(text) if text.isdigit() and len(text) == 4 else None
    if year is None or not 1990 <= year <= now.year:
        context = {"station": found[0], "error": _("Bitte ein Jahr zwischen 1990 und %(year)d "
                                                 "angeben.") % {"year": now.year}}
        return render(request, "environment/limits.html", context, status=400)
    reports = []
    for stream in found[0].streams:
        if stream.definition not in airquality.POLLUTANTS:
            continue
        try:
            reports.append((stream, services.limit_report(stream.datastream, year)))
        except ApiError:
            continue
    context = {"station": found[0], "year": year, "reports": reports, "demo": found[0].demo,
               "years": list(range(now.year, now.year - 5, -1))}
    return render(request, "environment/limits.html", context)


def live_updates(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return live.response(request)
