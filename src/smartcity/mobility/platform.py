"""What the mobility domain brings into the platform (see smartcity.core.contract): the
/mobilitaet/ page, the mobility API, the importers of its feeds and their demo data."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.contract import ApiRouter, Domain, Mount, PortalPart

DOMAIN = Domain(
    name="mobility",
    mounts=(Mount("mobilitaet/", "smartcity.mobility.urls"),),
    api=(ApiRouter("v1/mobility/", "smartcity.mobility.api:router"),),
    portal=PortalPart(
        "mobility",
        _("Mobilität"),
        _("Busse, Leihräder, Ladesäulen und Parkplätze in der Nähe auf einen Blick."),
        order=20,
    ),
)
