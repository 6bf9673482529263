"""Discovery: which files a GBFS system publishes and where, from its ``gbfs.json``.

v2.3 lists the files per language (``data.<language>.feeds[]``), and the language is
chosen here: German, then English, then the first. v3.x has one list (``data.feeds[]``)
and localized texts inside the files, so its language is chosen from
system_information's ``languages`` (same preference) when the texts are read.

Only the files this platform reads (:data:`READ`) are kept; the others (gbfs_versions,
system_hours, system_calendar, system_regions, system_alerts) are known but not fetched."""

from __future__ import annotations

from dataclasses import dataclass

from smartcity.mobility.gbfs import values
from smartcity.mobility.gbfs.documents import Document, FileError

DISCOVERY = "gbfs"
SYSTEM = "system_information"
VEHICLE_TYPES = "vehicle_types"
PRICING = "system_pricing_plans"
GEOFENCING = "geofencing_zones"
AVAILABILITY = "vehicle_availability"  # v3.1
STATION_INFORMATION = "station_information"
STATION_STATUS = "station_status"
VEHICLES_V2 = "free_bike_status"  # v2.3 name of vehicle_status
VEHICLES = "vehicle_status"

# the files read, in the order a poll reads them: what the others refer to first
READ = (
    SYSTEM,
    VEHICLE_TYPES,
    PRICING,
    GEOFENCING,
    AVAILABILITY,
    STATION_INFORMATION,
    STATION_STATUS,
    VEHICLES_V2,
    VEHICLES,
)
REFERENCE = (SYSTEM, VEHICLE_TYPES, PRICING, GEOFENCING, AVAILABILITY)  # their data is kept


@dataclass(frozen=True)
class System:
    """What gbfs.json says: the version, the language chosen (v2.3; None in v3.x), and the
    URL of each file the platform reads."""

    version: str
    language: str | None
    urls: dict[str, str]


def discover(document: Document) -> System:
    """The files of the system whose (checked) gbfs.json is ``document``."""
    data = document.data
    if values.is_v2(document.version):
        language = values.pick_language(data)
        if language is None:
            raise FileError(DISCOVERY, "gbfs.json lists no language")
        feeds = data[language]["feeds"]
    else:
        language, feeds = None, data["feeds"]
    urls = {}
    for entry in feeds:
        name, url = str(entry["name"]), str(entry["url"])
        if name in READ and name not in urls:
            urls[name] = url
    return System(document.version, language, urls)
