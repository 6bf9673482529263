"""What the mobility domain brings into the platform (see smartcity.core.contract): the
/mobilitaet/ page, the mobility API, the importers of its feeds and their demo data."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import ApiRouter, Domain, Mount, PortalPart

DOMAIN = Domain(
    name="mobility",
    mounts=(Mount("mobilitaet/", "smartcity.mobility.urls"),),
    api=(
        ApiRouter("v1/mobility/", "smartcity.mobility.api:router"),
        ApiRouter("v1/mobility/gbfs/", "smartcity.mobility.gbfs.api:router"),
    ),
    portal=PortalPart(
        "mobility",
        _("Mobilität"),
        _("Busse, Leihräder, Ladesäulen und Parkplätze in der Nähe auf einen Blick."),
        order=20,
    ),
    settings=(
        Setting(
            "MOBILITY_NEARBY_MAX_RADIUS",
            "2000",
            "The largest radius in metres that GET /api/v1/mobility/nearby accepts.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_NEARBY_MAX_OFFERS",
            "200",
            "The most offers one answer of /api/v1/mobility/nearby or hubs/{key} holds.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_GBFS_MAX_FILE_BYTES",
            "67108864",
            "Largest GBFS file (gbfs.json, station_status, vehicle_status, ...) the platform "
            "reads, in bytes; a larger one is rejected and the system keeps its last good data.",
            kind=int,
            minimum=1024,
        ),
    ),
    importers=("smartcity.mobility.gbfs.importer:IMPORTER",),
)
