"""A stop's printed departure sheet (Aushangfahrplan) for one day: the timetable's planned
departures (board.py, no realtime) grouped by line and direction, each group the hours in
rows and their minutes across, as bus stops show them, for people without a smartphone.
Framework-free; views.py renders it as HTML and, from the same template, as PDF/A.

The day is a calendar day at the stop (local midnight to midnight), so a night bus of the
day before at 00:30 stands in its 0 o'clock row. A sheet holds at most
SMARTCITY_MOBILITY_SHEET_MAX_DEPARTURES departures; beyond that it says it is cut off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from smartcity.mobility import board, live_board
from smartcity.mobility.departures import Departure
from smartcity.mobility.models import Agency, TransitVersion

# GTFS route_type (and the extended types by their hundreds) in plain words
KINDS: dict[int, Any] = {0: _("Straßenbahn"), 1: _("U-Bahn"), 2: _("Zug"), 3: _("Bus"),
                         4: _("Fähre"), 5: _("Seilbahn"), 6: _("Gondel"), 7: _("Standseilbahn"),
                         11: _("Oberleitungsbus"), 12: _("Einschienenbahn")}  # fmt: skip
EXTENDED: dict[int, Any] = {1: _("Zug"), 2: _("Fernbus"), 4: _("Stadtbahn"), 7: _("Bus"),
                            8: _("Oberleitungsbus"), 9: _("Straßenbahn"), 10: _("Fähre"),
                            12: _("Fähre"), 13: _("Seilbahn"), 15: _("Taxi")}  # fmt: skip


def kind_of(route_type: int) -> str:
    """A route type in words ("Bus", "Zug"), empty where GTFS leaves it unnamed."""
    label = KINDS.get(route_type) if route_type < 100 else EXTENDED.get(route_type // 100)
    return str(label) if label else ""


@dataclass(frozen=True)
class Minute:
    minute: str  # "05"
    wheelchair: int  # the trip's wheelchair_accessible: 0 unknown, 1 yes, 2 no


@dataclass
class Group:
    """One line in one direction: its departures by hour."""

    line: str
    kind: str  # "Bus", "Zug", ... (kind_of)
    headsign: str
    platforms: list[str] = field(default_factory=list)
    hours: list[tuple[str, list[Minute]]] = field(default_factory=list)  # ("08", minutes)
    count: int = 0
    wheelchair: int | None = None  # the same for every trip of the group, else None

    @property
    def mixed(self) -> bool:
        """Whether each minute needs its own wheelchair mark."""
        return self.wheelchair is None


@dataclass
class Sheet:
    offer: dict[str, Any]  # the stop offer (a row of nearby.rows)
    day: date
    groups: list[Group]
    count: int  # departures on the sheet
    limit: int
    truncated: bool  # the day has more departures than the sheet holds
    lines: list[str]  # "Bus 1", "Zug RE 6", ... in the order of the groups
    agencies: list[str]
    version: TransitVersion

    @property
    def is_demo(self) -> bool:
        return bool(self.offer["feed"].is_demo)

    @property
    def source(self) -> str:
        """Who the timetable is from: the feed's provider, else its agencies."""
        return self.offer["feed"].provider or ", ".join(self.agencies)

    @property
    def imported_at(self) -> datetime:
        return self.version.imported_at

    @property
    def marks_used(self) -> bool:
        return any(group.mixed for group in self.groups)

    @property
    def outside_validity(self) -> bool:
        """Whether the day lies outside the dates the timetable covers."""
        first, last = self.version.first_date, self.version.last_date
        return bool((first and self.day < first) or (last and self.day > last))


def _line_key(group: Group) -> tuple[Any, ...]:
    """Lines in a natural order (2 before 10; buses, then trains, ...), then directions."""
    digits = "".join(c for c in group.line if c.isdigit())
    return (group.kind, int(digits) if digits else 10**9, group.line, group.headsign)


def group(found: list[Departure]) -> list[Group]:
    """Departures (earliest first) by line and direction, each by hour of the day."""
    groups: dict[tuple[str, str], Group] = {}
    for d in found:
        key = (d.line, d.headsign)
        if key not in groups:
            groups[key] = Group(line=d.line, kind=kind_of(d.route_type), headsign=d.headsign)
        target = groups[key]
        if d.platform and d.platform not in target.platforms:
            target.platforms.append(d.platform)
        hour, minute = f"{d.scheduled.hour:02d}", Minute(f"{d.scheduled.minute:02d}", d.wheelchair)
        if target.hours and target.hours[-1][0] == hour:
            target.hours[-1][1].append(minute)
        else:
            target.hours.append((hour, [minute]))
        if target.count == 0:
            target.wheelchair = d.wheelchair
        elif target.wheelchair != d.wheelchair:
            target.wheelchair = None
        target.count += 1
    for target in groups.values():
        target.platforms.sort()
    return sorted(groups.values(), key=_line_key)


def sheet(offer: dict[str, Any], day: date, *, limit: int) -> Sheet:
    """The sheet of a stop offer (a row of nearby.rows) for ``day``; NotAStop
    (live_board) for an offer that is not a stop of a timetable in use."""
    version, place = live_board.stop_place(offer)
    found = board.day_departures(place, day, limit=limit + 1)
    kept = found[:limit]
    groups = group(kept)
    lines = []
    for target in groups:
        name = " ".join(p for p in (target.kind, target.line) if p)
        if name not in lines:
            lines.append(name)
    agencies = list(Agency.objects.filter(version=version).values_list("name", flat=True))
    return Sheet(offer=offer, day=day, groups=groups, count=len(kept), limit=limit,
                 truncated=len(found) > limit, lines=lines, agencies=agencies,
                 version=version)  # fmt: skip
