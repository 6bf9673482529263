"""What the mobility domain brings into the platform (see smartcity.core.contract): the
/mobilitaet/ page, the mobility API, the importers of its feeds and their demo data."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import ApiRouter, DemoLoader, Domain, Mount, NavLink, PortalPart, Scope

DOMAIN = Domain(
    name="mobility",
    mounts=(Mount("mobilitaet/", "smartcity.mobility.urls"),),
    api=(
        ApiRouter("v1/mobility/", "smartcity.mobility.api:router"),
        ApiRouter("v1/mobility/gbfs/", "smartcity.mobility.gbfs.api:router"),
        ApiRouter("ocpi/2.2.1/", "smartcity.mobility.charging.ocpi_views:router"),
    ),
    scopes=(
        Scope(
            "mobility:ocpi",
            "push OCPI 2.2.1 Locations of the token's own CPO (--ocpi-feed) to "
            "/api/ocpi/2.2.1/locations/",
        ),
    ),
    token_grants="smartcity.mobility.charging.ocpi_grants:GRANTS",  # noqa: S106 - a dotted path
    nav=(NavLink(_("Mobilität"), "/mobilitaet/", order=20),),
    portal=PortalPart(
        "mobility",
        _("Mobilität"),
        _("Busse, Leihräder, Ladesäulen und Parkplätze in der Nähe auf einen Blick."),
        href="/mobilitaet/",
        order=20,
    ),
    tasks=("smartcity.mobility.tasks",),
    demo=DemoLoader("smartcity.mobility.demo:load_demo"),
    importers=(
        "smartcity.mobility.gtfs.importer:IMPORTER",
        "smartcity.mobility.realtime.poll:IMPORTER",
        "smartcity.mobility.charging.bnetza:IMPORTER",
        "smartcity.mobility.gbfs.importer:IMPORTER",
        "smartcity.mobility.parking.parkapi:IMPORTER",
        "smartcity.mobility.parking.datex2:IMPORTER",
        "smartcity.mobility.signals.osm:IMPORTER",
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
            "MOBILITY_BOARD_MAX_DEPARTURES",
            "100",
            "The most departures one answer of /api/v1/mobility/stops/{id}/departures holds.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_SHEET_MAX_DEPARTURES",
            "1200",
            "The most departures a stop's printed departure sheet (aushang.pdf) holds for one "
            "day; a sheet of a busier day shows the first ones and says that it is cut off.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_SHEET_MAX_RENDERS",
            "2",
            "How many departure sheet PDFs (aushang.pdf) one server process renders at once "
            "(about 3 s of a core each for the busiest stop); a request beyond is answered "
            "503 with Retry-After.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_SHEET_CACHE_SECONDS",
            "3600",
            "How long a rendered departure sheet PDF is kept in the cache (per stop, day, "
            "timetable version and language); 0 keeps none.",
            kind=int,
            minimum=0,
        ),
        Setting(
            "MOBILITY_SEARCH_MAX_RESULTS",
            "20",
            "The most stops and hubs one search (/mobilitaet/?suche=, "
            "/api/v1/mobility/search) lists.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_REALTIME_MAX_BYTES",
            "50000000",
            "The largest GTFS-Realtime message (protobuf) a feed may send, in bytes.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_POLL_TIMEOUT",
            "20",
            "Seconds a mobility source may take to answer one poll before it counts as failed.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_GTFS_MAX_BYTES",
            "8000000000",
            "The largest GTFS feed `smartcity import gtfs` accepts, in bytes: uncompressed, "
            "and as downloaded (a download is spooled to a temporary file of that size).",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_GTFS_MAX_FREQUENCY_TRIPS",
            "200000",
            "The most trips one GTFS feed's frequencies.txt may expand into (a trip given "
            "by headway becomes one trip per start); a template that would go beyond is "
            "rejected with its line.",
            kind=int,
            minimum=0,
        ),
        Setting(
            "MOBILITY_OCPI_MAX_BODY_BYTES",
            "1048576",
            "Largest request body (bytes) a CPO may push to the OCPI Locations receiver "
            "(/api/ocpi/2.2.1/locations/); larger gets 413 before it is read.",
            kind=int,
            minimum=1024,
        ),
        Setting(
            "MOBILITY_GBFS_MAX_FILE_BYTES",
            "67108864",
            "Largest GBFS file (gbfs.json, station_status, vehicle_status, ...) the platform "
            "reads, in bytes; a larger one is rejected and the system keeps its last good data.",
            kind=int,
            minimum=1024,
        ),
        # the city's merged GBFS 3.0 feed (/api/v1/mobility/gbfs/city/gbfs.json)
        Setting(
            "MOBILITY_GBFS_SYSTEM_ID",
            "",
            "system_id of the city's merged GBFS feed; empty: the city's name as a slug (hamm).",
        ),
        Setting(
            "MOBILITY_GBFS_SYSTEM_NAME",
            "",
            "Name of the city's merged GBFS system; empty: the city's name.",
        ),
        Setting(
            "MOBILITY_GBFS_LANGUAGES",
            "de",
            "Languages of the merged GBFS feed (comma-separated, the first is its name's); "
            "the sources' languages are added.",
        ),
        Setting(
            "MOBILITY_GBFS_OPENING_HOURS",
            "24/7",
            "opening_hours (OpenStreetMap syntax) of the merged GBFS system.",
        ),
        Setting(
            "MOBILITY_GBFS_FEED_CONTACT_EMAIL",
            "",
            "feed_contact_email of the merged GBFS feed; empty: SMARTCITY_EMAIL_FROM.",
        ),
        Setting(
            "MOBILITY_GBFS_PUBLISH_MAX_PLACES",
            "10000",
            "The most stations (station_information, station_status) and vehicles "
            "(vehicle_status) one file of the merged GBFS feed holds.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MOBILITY_LAYERS_MAX_FEATURES",
            "5000",
            "The most features one answer of /api/v1/mobility/layers/{mode} holds.",
            kind=int,
            minimum=1,
        ),
    ),
)
