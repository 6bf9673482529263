"""The places of the demo city: real spots in Hamm with WGS84 coordinates (lon, lat).

Each place says what is measured there: ``air`` (NO2, PM10, PM2.5, air temperature),
``water`` (water temperature) or ``soil`` (soil temperature at 10 cm). ``traffic`` scales
the road traffic near an air station: about 1.7 at the Hauptbahnhof, about 0.5 in a park.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcity.core.city import HAMM

# The demo city is Hamm, whatever city is configured: its places are Hamm's.
DISTRICTS = HAMM.district_names
HAMM_BBOX = HAMM.extent  # every demo coordinate lies inside it


@dataclass(frozen=True)
class Place:
    key: str  # stable; becomes Thing.properties["demoKey"]
    name: str
    district: str
    lon: float
    lat: float
    kinds: tuple[str, ...]
    about: str  # German, one sentence on the place
    traffic: float = 1.0


AIR, WATER, SOIL = "air", "water", "soil"

PLACES: tuple[Place, ...] = (
    # Air quality in Mitte: the station forecourt, the old town and the main roads.
    Place(
        "hbf",
        "Hauptbahnhof, Willy-Brandt-Platz",
        "Mitte",
        7.8078,
        51.6781,
        (AIR,),
        "Bahnhofsvorplatz mit Busbahnhof und Zufahrt zum Westring.",
        1.7,
    ),
    Place(
        "marktplatz",
        "Marktplatz an der Pauluskirche",
        "Mitte",
        7.8203,
        51.6810,
        (AIR,),
        "Marktplatz im Herzen der Altstadt neben der Pauluskirche.",
        1.1,
    ),
    Place(
        "allee-center",
        "Allee-Center, Richard-Matthaei-Platz",
        "Mitte",
        7.8150,
        51.6795,
        (AIR,),
        "Einkaufszentrum in der Innenstadt mit Parkhauszufahrt.",
        1.3,
    ),
    Place(
        "santa-monica-platz",
        "Santa-Monica-Platz",
        "Mitte",
        7.8183,
        51.6803,
        (AIR,),
        "Innenstadtplatz, benannt nach der Partnerstadt Santa Monica.",
        1.1,
    ),
    Place(
        "hohe-strasse",
        "Hamm-Mitte, Hohe Straße",
        "Mitte",
        7.8235,
        51.6768,
        (AIR,),
        "Verkehrsnahe Messstelle an einer Hauptverkehrsstraße der Innenstadt.",
        1.45,
    ),
    Place(
        "wilhelmstrasse",
        "Hamm-Westen, Wilhelmstraße",
        "Mitte",
        7.7950,
        51.6745,
        (AIR,),
        "Verkehrsreiche Hauptstraße im Hammer Westen.",
        1.35,
    ),
    Place(
        "gymnasium-hammonense",
        "Gymnasium Hammonense, Adenauerallee",
        "Mitte",
        7.8186,
        51.6844,
        (AIR,),
        "Schulhof des ältesten Gymnasiums der Stadt am Kanal.",
        0.9,
    ),
    # Air quality in the other districts.
    Place(
        "fvs-gymnasium",
        "Freiherr-vom-Stein-Gymnasium, Werries",
        "Uentrop",
        7.8850,
        51.6850,
        (AIR,),
        "Schulgelände in Werries nahe dem Maximilianpark.",
        0.75,
    ),
    Place(
        "uentrop-dorf",
        "Uentrop, Ortsmitte",
        "Uentrop",
        7.9390,
        51.6715,
        (AIR,),
        "Messstelle in der Ortsmitte von Uentrop.",
        0.8,
    ),
    Place(
        "rhynern",
        "Rhynern, Ortsmitte",
        "Rhynern",
        7.8560,
        51.6290,
        (AIR,),
        "Messstelle im Ortskern von Rhynern nahe der A 2.",
        0.9,
    ),
    Place(
        "pelkum",
        "Pelkum, Kamener Straße",
        "Pelkum",
        7.7480,
        51.6420,
        (AIR,),
        "Messstelle an der Kamener Straße im Ortskern von Pelkum.",
        0.95,
    ),
    Place(
        "maerkisches-gymnasium",
        "Märkisches Gymnasium, Daberg",
        "Pelkum",
        7.7917,
        51.6636,
        (AIR,),
        "Schulgelände an der Wilhelm-Liebknecht-Straße im Ortsteil Daberg.",
        0.85,
    ),
    Place(
        "herringen",
        "Herringen, Ortsmitte",
        "Herringen",
        7.7370,
        51.6650,
        (AIR,),
        "Messstelle in der Ortsmitte von Herringen.",
        0.85,
    ),
    Place(
        "bockum-hoevel",
        "Bockum-Hövel, Ortsmitte",
        "Bockum-Hövel",
        7.7480,
        51.6960,
        (AIR,),
        "Messstelle im Zentrum von Bockum-Hövel.",
        1.0,
    ),
    Place(
        "heessen",
        "Heessen, Ortsmitte",
        "Heessen",
        7.8330,
        51.7070,
        (AIR,),
        "Messstelle im Ortskern von Heessen nördlich der Lippe.",
        0.9,
    ),
    Place(
        "maximilianpark",
        "Maximilianpark, Glaselefant",
        "Uentrop",
        7.8838,
        51.6834,
        (AIR, SOIL),
        "Freizeitpark auf dem Gelände der Zeche Maximilian.",
        0.5,
    ),
    # Water temperature: the Lippe from west to east, and the canal harbour.
    Place(
        "lippe-radbod",
        "Lippe an der Zeche Radbod",
        "Bockum-Hövel",
        7.7620,
        51.6870,
        (WATER,),
        "Messpunkt an der Lippe im Westen der Stadt.",
    ),
    Place(
        "lippewehr-mitte",
        "Lippewehr Hamm-Mitte",
        "Mitte",
        7.8290,
        51.6890,
        (WATER,),
        "Messpunkt am Lippewehr nördlich der Innenstadt.",
    ),
    Place(
        "lippe-heessen",
        "Lippe bei Schloss Heessen",
        "Heessen",
        7.8600,
        51.6990,
        (WATER,),
        "Messpunkt an der Lippe unterhalb von Schloss Heessen.",
    ),
    Place(
        "lippe-uentrop",
        "Lippe bei Uentrop",
        "Uentrop",
        7.9600,
        51.6880,
        (WATER,),
        "Messpunkt an der Lippe im Osten der Stadt.",
    ),
    Place(
        "stadthafen",
        "Datteln-Hamm-Kanal, Stadthafen Hamm",
        "Mitte",
        7.7828,
        51.6790,
        (WATER,),
        "Messpunkt im Stadthafen am Datteln-Hamm-Kanal.",
    ),
    # Soil temperature in parks.
    Place(
        "kurpark",
        "Kurpark Bad Hamm",
        "Uentrop",
        7.8500,
        51.6795,
        (SOIL,),
        "Wiese im Kurpark am Kurhaus Bad Hamm.",
    ),
    Place(
        "ostenfriedhof",
        "Ostenfriedhof",
        "Mitte",
        7.8330,
        51.6808,
        (SOIL,),
        "Grünfläche auf dem Ostenfriedhof an der Ostenallee.",
    ),
    Place(
        "lippeauen",
        "Lippeauen bei Werries",
        "Uentrop",
        7.9000,
        51.6905,
        (SOIL,),
        "Auenwiese an der naturnahen Lippe zwischen Bad Hamm und Uentrop.",
    ),
    Place(
        "tierpark",
        "Tierpark Hamm",
        "Mitte",
        7.8164,
        51.6629,
        (SOIL,),
        "Grünfläche im Tierpark an der Grünstraße.",
    ),
    Place(
        "selbachpark",
        "Selbachpark",
        "Pelkum",
        7.7330,
        51.6320,
        (SOIL,),
        "Parkwiese im Freizeitpark Selbachpark in Pelkum.",
    ),
)
