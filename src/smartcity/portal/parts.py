"""The tiles of the home page: every installed domain's declared part (``Domain.portal``;
the urban data platform's is environment's), and the parts of the city's strategy that no
domain brings yet, shown as "in Vorbereitung" until a domain declares a part of the same
key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from smartcity.core import contract
from smartcity.core.contract import PortalPart

PLANNED: tuple[PortalPart, ...] = (
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
    """The home page's tiles by order: the domains' parts, and the planned ones no domain
    has replaced."""
    parts = {part.key: part for part in PLANNED}
    for domain in contract.domains():
        if domain.portal is not None:
            parts[domain.portal.key] = domain.portal
    return sorted(parts.values(), key=lambda part: (part.order, part.key))
