"""The places of the demo city's mobility: stops of the bus lines and the railway stations,
with plausible positions inside Hamm, and the lines through the Hauptbahnhof with their
termini in the districts. The names are real places of the city (a few stop names as
HammWiki gives them, e.g. Hövel/Kirche at 51.70292, 7.76260); the other positions are
approximate, placed by hand, not surveyed; the stop ids and the lines' routes are made up
for the demo. Both regional lines really call at Hamm-Heessen (RE 6 and RB 69)."""

from __future__ import annotations

from dataclasses import dataclass

HBF = (51.6783, 7.8089)  # Hamm (Westf) Hbf, the station building
STATION_ID = "de:05915:1000"  # the station (location_type 1) all lines call at
BUS_BAYS = ("A", "B", "C", "D", "E", "F", "G", "H")  # the bus station at Willy-Brandt-Platz
TRACKS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lat: float
    lon: float
    wheelchair: int = 1  # wheelchair_boarding: 1 accessible, 2 not


# Bus stops outside the station, by a short key (stop_id "de:05915:<n>" as the DELFI ids of
# Hamm are built; the numbers are made up for the demo).
STOPS: dict[str, Stop] = {
    s.stop_id.rsplit(":", 1)[1]: s
    for s in (
        Stop("de:05915:1101", "Hamm Westentor", 51.6801, 7.8118),
        Stop("de:05915:1102", "Hamm Rathaus", 51.6826, 7.8205),
        Stop("de:05915:1103", "Hamm Allee-Center", 51.6797, 7.8167),
        Stop("de:05915:1104", "Hamm Nordstraße", 51.6858, 7.8158),
        Stop("de:05915:1105", "Hamm Oststraße", 51.6812, 7.8262),
        Stop("de:05915:1106", "Hamm Südring", 51.6744, 7.8192),
        Stop("de:05915:1107", "Hamm St. Marien-Hospital", 51.6893, 7.8240),
        Stop("de:05915:1108", "Hamm Kurpark", 51.6697, 7.8427),
        Stop("de:05915:1109", "Hamm Maximilianpark", 51.6768, 7.8752),
        Stop("de:05915:1201", "Schloss Heessen", 51.7083, 7.8335),
        Stop("de:05915:1202", "Heessener Markt", 51.7013, 7.8593),
        Stop("de:05915:1203", "Sachsenhalle", 51.7068, 7.8642),
        Stop("de:05915:1301", "Bockum-Hövel Bahnhof", 51.6893, 7.7507),
        Stop("de:05915:1302", "Hövel/Kirche", 51.70292, 7.76260),
        Stop("de:05915:1401", "Braam-Ostwennemar", 51.6682, 7.8662),
        Stop("de:05915:1402", "Werries Kirche", 51.6771, 7.8958),
        Stop("de:05915:1403", "Uentrop Kirche", 51.6626, 7.9348),
        Stop("de:05915:1501", "Berge Kirche", 51.6611, 7.8268),
        Stop("de:05915:1502", "Westtünnen Mitte", 51.6524, 7.8449),
        Stop("de:05915:1504", "Am Schützenplatz", 51.6478, 7.8392),
        Stop("de:05915:1503", "Rhynern Markt", 51.6271, 7.8621),
        Stop("de:05915:1601", "Wiescherhöfen", 51.6572, 7.7778),
        Stop("de:05915:1602", "Pelkumer Platz", 51.6441, 7.7431, wheelchair=2),
        Stop("de:05915:1701", "Lohauserholz", 51.6654, 7.7795),
        Stop("de:05915:1702", "Herringer Markt", 51.6585, 7.7310),
        Stop("de:05915:1703", "Sandbochum", 51.6410, 7.7262, wheelchair=2),
    )
}

# Railway stations next to Hamm's (inside the city's extent, so the timetable keeps them).
RAIL: dict[str, Stop] = {
    "kamen": Stop("de:05978:2001", "Kamen", 51.5917, 7.6651),
    "bockum": Stop("de:05915:2002", "Hamm-Bockum-Hövel", 51.6890, 7.7500),
    "heessen": Stop("de:05915:2003", "Hamm-Heessen", 51.7003, 7.8462),
}


@dataclass(frozen=True)
class Line:
    """A line from the Hauptbahnhof (its first stop) out to its terminus in a district,
    run both ways; ``stops`` are keys of STOPS (buses) or RAIL (trains)."""

    route_id: str
    name: str  # route_short_name
    long_name: str
    color: str
    route_type: int  # 3 bus, 2 rail
    stops: tuple[str, ...]
    bay: str  # the bus bay or track at the Hauptbahnhof
    back_bay: str = ""  # where the trips towards the Hauptbahnhof arrive (trains: track)
    speed: float = 20.0  # km/h between stops, with their dwell times
    rail_before: str = ""  # trains: the station before Hamm (the other direction's end)
    headsign: str = ""  # buses: the district it runs to, as the bus shows it
    headsigns: tuple[str, str] = ("", "")  # trains: outbound, inbound (their real termini)


BUS = 3
RAIL_TYPE = 2
LINES: tuple[Line, ...] = (
    Line("demo-1", "1", "Hauptbahnhof - Heessen", "E3000F", BUS,
         ("1102", "1104", "1107", "1201", "1202", "1203"), "A", headsign="Heessen"),
    Line("demo-2", "2", "Hauptbahnhof - Herringen", "0069B4", BUS,
         ("1101", "1701", "1702", "1703"), "B", headsign="Herringen"),
    Line("demo-3", "3", "Hauptbahnhof - Bockum-Hövel", "009640", BUS,
         ("1101", "1301", "1302"), "C", headsign="Bockum-Hövel"),
    Line("demo-4", "4", "Hauptbahnhof - Uentrop", "F39200", BUS,
         ("1103", "1105", "1108", "1401", "1402", "1403"), "D", headsign="Uentrop"),
    Line("demo-6", "6", "Hauptbahnhof - Rhynern", "951B81", BUS,
         ("1106", "1501", "1502", "1503"), "E", headsign="Rhynern"),
    Line("demo-9", "9", "Hauptbahnhof - Pelkum", "8B5A2B", BUS,
         ("1101", "1601", "1602"), "F", headsign="Pelkum"),
    Line("demo-14", "14", "Hauptbahnhof - Westtünnen", "00A0E1", BUS,
         ("1106", "1108", "1502", "1504"), "G", headsign="Westtünnen"),
    Line("demo-19", "19", "Hauptbahnhof - Berge", "6F6F6E", BUS,
         ("1103", "1106", "1501"), "H", headsign="Berge"),
)  # fmt: skip
TRAINS: tuple[Line, ...] = (
    Line("demo-re6", "RE 6", "Rhein-Weser-Express Düsseldorf - Hamm - Minden", "7C878E",
         RAIL_TYPE, ("heessen",), "8", "9", speed=70.0, rail_before="kamen",
         headsigns=("Minden (Westf)", "Düsseldorf Flughafen")),
    Line("demo-rb69", "RB 69", "Ems-Börde-Bahn Münster - Hamm - Bielefeld", "7C878E",
         RAIL_TYPE, ("heessen",), "3", "4", speed=55.0, rail_before="bockum",
         headsigns=("Bielefeld Hbf", "Münster (Westf) Hbf")),
)  # fmt: skip

# Places of the other modes, at or near the Hauptbahnhof and in the districts.
MOBILSTATION = (51.6788, 7.8096)  # in front of the station, Willy-Brandt-Platz
