"""The sentences the /mobilitaet/ page scripts write (static/js/mobilitaet*.js), in the
request's language: the same as page.py writes on the server. A text with a count is a
pair (one, many), as ngettext gives it for German and English."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _plural(one: str, many: str) -> list[str]:
    return [ngettext(one, many, 1), ngettext(one, many, 2)]


def texts() -> dict[str, object]:
    return {
        "bike": _plural("%(n)s Rad", "%(n)s Räder"),
        "scooter": _plural("%(n)s E-Scooter", "%(n)s E-Scooter"),
        "moped": _plural("%(n)s E-Roller", "%(n)s E-Roller"),
        "car": _plural("%(n)s Auto", "%(n)s Autos"),
        "places": _plural("%(n)s freier Platz", "%(n)s freie Plätze"),
        "spaces": _plural("%(n)s Stellplatz", "%(n)s Stellplätze"),
        "chargePoints": _plural("%(n)s Ladepunkt", "%(n)s Ladepunkte"),
        "minutesAgo": _plural("vor %(n)s Minute", "vor %(n)s Minuten"),
        "hoursAgo": _plural("vor %(n)s Stunde", "vor %(n)s Stunden"),
        "daysAgo": _plural("vor %(n)s Tag", "vor %(n)s Tagen"),
        "available": _("verfügbar"),
        "range": _("verfügbar, Reichweite ca. %(km)s km"),
        "unknown": _("Verfügbarkeit unbekannt"),
        "notRenting": _("derzeit keine Ausleihe"),
        "freeOf": _("%(free)s von %(total)s Ladepunkten frei"),
        "chargingSite": _("Ladestation"),
        "of": _("von %(total)s"),
        "parking": _("Parkplatz"),
        "vehicleOf": _("Fahrzeug der Linie %(line)s"),
        "vehicle": _("Fahrzeug"),
        "lines": _("Linien %(lines)s"),
        "stop": _("Haltestelle"),
        "signal": _("Ampel"),
        "signalState": _("Ampel: %(state)s"),
        "justNow": _("gerade eben"),
        "stale": _("veraltet"),
        "walk": _("ca. %(n)s Min. zu Fuß"),
        "asOf": _("Stand:"),
        "provider": _("Anbieter:"),
        "departures": _("Abfahrten zeigen"),
        "cancelled": _("fällt aus"),
        "skipped": _("hält hier nicht"),
        "added": _("Zusatzfahrt"),
        "late": _("+%(n)s Min., erwartet %(time)s"),
        "early": _("%(n)s Min. früher, erwartet %(time)s"),
        "onTime": _("pünktlich"),
        "boardOf": _("Abfahrten: %(name)s"),
        # the table's scrollable region: not the section's name (landmark-unique)
        "boardRegion": _("Nächste Abfahrten: %(name)s"),
        "realtimeOn": _("Mit Echtzeitdaten; aktualisiert alle 30 Sekunden."),
        "realtimeOff": _("Fahrplandaten (keine aktuellen Echtzeitdaten)."),
        "columns": [_("Zeit"), _("Linie"), _("Ziel"), _("Steig/Gleis"), _("Aktuell")],
        "showOnMap": _("Auf der Karte zeigen"),
        "noDepartures": _("Keine Abfahrten in nächster Zeit."),
        "boardFailed": _("Die Abfahrten konnten nicht geladen werden."),
        "updatedAt": _("Stand %(time)s Uhr"),
        "loading": _("Angebote werden geladen …"),
        "loadFailed": _("Die Angebote konnten nicht geladen werden."),
        "shown": _("%(count)s Angebote auf der Karte."),
        "none": _("Keine Angebote in diesem Ausschnitt."),
        "myPosition": _("Meine Position"),
        "locating": _("Position wird bestimmt …"),
        "noPosition": _("Die Position konnte nicht bestimmt werden (Freigabe im Browser?)."),
        "nearHere": _("Die nächsten Angebote bei Ihrer Position."),
        "cluster": _("%(count)s Angebote nah beieinander: heranzoomen"),
        "noMap": _("Die Karte kann in diesem Browser nicht angezeigt werden (WebGL fehlt). "
                   "Alle Angebote stehen in der Liste."),
    }  # fmt: skip
