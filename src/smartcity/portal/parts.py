"""The six parts of the platform as the home page presents them.

A part without ``href`` is shown as "in Vorbereitung" and is not a link; when a domain
ships its public pages, give its part the URL here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PlatformPart:
    key: str
    title: Promise
    summary: Promise
    href: str | None = None

    @property
    def available(self) -> bool:
        return self.href is not None


PLATFORM_PARTS: tuple[PlatformPart, ...] = (
    PlatformPart(
        "sensors",
        _("Urbane Datenplattform / Umwelt-Sensoren"),
        _(
            "Messwerte von Luft-, Wasser- und Bodensensoren in Hamm, offen abrufbar über die "
            "SensorThings API."
        ),
        href="/umwelt/",
    ),
    PlatformPart(
        "mobility",
        _("Mobilität"),
        _("Busse, Leihräder, Ladesäulen und Parkplätze in der Nähe auf einen Blick."),
    ),
    PlatformPart(
        "services",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
    ),
    PlatformPart(
        "participation",
        _("Beteiligung"),
        _("Bei Vorhaben der Stadt mitreden: Vorschläge machen, kommentieren und abstimmen."),
    ),
    PlatformPart(
        "twin",
        _("Digitaler Zwilling"),
        _("Die Stadt in 3D: Befahrungen, Panoramen und Punktwolken für Planung und Verwaltung."),
    ),
    PlatformPart(
        "portfolio",
        _("Strategie & Projekte / Open Data"),
        _(
            "Die Handlungsfelder der Smart-City-Strategie, ihre Projekte und offene Daten zum "
            "Herunterladen."
        ),
    ),
)
