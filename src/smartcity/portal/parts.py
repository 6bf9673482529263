"""The six parts of the platform as the city's strategy names them, and the tiles of the
home page: a domain's declared part (``Domain.portal``) fills the slot of its key; a slot
that no installed domain fills is shown as "in Vorbereitung". A domain may also bring a
part with a key of its own: it is shown beside the six."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from smartcity.core import contract
from smartcity.core.contract import PortalPart

PLANNED: tuple[PortalPart, ...] = (
    PortalPart(
        "sensors",
        _("Urbane Datenplattform / Umwelt-Sensoren"),
        _(
            "Messwerte von Luft-, Wasser- und Bodensensoren in Hamm, offen abrufbar über die "
            "SensorThings API."
        ),
        order=10,
    ),
    PortalPart(
        "mobility",
        _("Mobilität"),
        _("Busse, Leihräder, Ladesäulen und Parkplätze in der Nähe auf einen Blick."),
        order=20,
    ),
    PortalPart(
        "administration",
        _("Digitale Verwaltung / Familienrathaus"),
        _("Leistungen der Stadt online beantragen, bezahlen und den Stand verfolgen."),
        order=30,
    ),
    PortalPart(
        "participation",
        _("Beteiligung"),
        _("Bei Vorhaben der Stadt mitreden: Vorschläge machen, kommentieren und abstimmen."),
        order=40,
    ),
    PortalPart(
        "twin",
        _("Digitaler Zwilling"),
        _("Die Stadt in 3D: Befahrungen, Panoramen und Punktwolken für Planung und Verwaltung."),
        order=50,
    ),
    PortalPart(
        "portfolio",
        _("Strategie & Projekte / Open Data"),
        _(
            "Die Handlungsfelder der Smart-City-Strategie, ihre Projekte und offene Daten zum "
            "Herunterladen."
        ),
        order=60,
    ),
)


def platform_parts() -> list[PortalPart]:
    """The home page's tiles: the planned slots, each replaced by the installed domain's
    part of the same key, then the domains' parts of keys of their own; by order."""
    parts = {part.key: part for part in PLANNED}
    for domain in contract.domains():
        if domain.portal is not None:
            parts[domain.portal.key] = domain.portal
    return sorted(parts.values(), key=lambda part: (part.order, part.key))
