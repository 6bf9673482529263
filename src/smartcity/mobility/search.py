"""Finding a stop or a hub (Mobilstation) by name, for "In meiner Nähe" from a searched
place: case- and accent-insensitive ("hovel" and "Hoevel" find "Hövel"), with the common
abbreviations of German stop names ("hbf" finds "Hauptbahnhof" and "Hauptbahnhof" finds
"Hamm (Westf) Hbf"). Framework-free; the page (views.py) and the API are adapters.

Names are folded the same way on both sides (:func:`fold`) and compared in Python: a
query matches a name when every one of its words occurs in the folded name. The stop
offers of the timetables are read as (id, name) alone, one column pair over a few hundred
to a few thousand rows in a city; the matches' rows only for those kept. There is no
geocoder: addresses are not found (docs/mobility.md says what an operator could add)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from smartcity.mobility.models import Feed, Hub, Offer

MAX_QUERY = 100  # characters
ABBREVIATIONS = {  # the words stop names shorten, folded
    "hbf": "hauptbahnhof",
    "hbhf": "hauptbahnhof",
    "bhf": "bahnhof",
    "bf": "bahnhof",
    "str": "strasse",
    "pl": "platz",
    "westf": "westfalen",
    "zob": "busbahnhof",
}
_WORD = re.compile(r"[^\W_]+")
_SHORT_STREET = re.compile(r"(.{2,})str$")  # "bahnhofstr" is "bahnhofstrasse"


class SearchError(ValueError):
    """A query that cannot be searched for; the message says why."""


@dataclass(frozen=True)
class Match:
    kind: str  # "stop" or "hub"
    name: str
    lat: float
    lon: float
    offer_id: int | None = None  # a stop's offer
    key: str = ""  # a hub's key
    lines: tuple[str, ...] = ()
    is_demo: bool = False

    @property
    def place(self) -> str:
        """The page's ``?nahe=`` value for this match."""
        return f"haltestelle:{self.offer_id}" if self.kind == "stop" else f"mobilstation:{self.key}"

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "name": self.name, "lat": self.lat, "lon": self.lon,
                "id": self.offer_id, "key": self.key or None, "lines": list(self.lines),
                "isDemo": self.is_demo, "near": f"/mobilitaet/?nahe={self.place}"}  # fmt: skip


def _word(word: str) -> str:
    word = word.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    short = _SHORT_STREET.fullmatch(word)
    return short.group(1) + "strasse" if short else word


def fold(text: str) -> str:
    """A name as the search compares it: lower case, without accents (ß is ss, ä and ae
    are a), abbreviations written out, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_word(word) for word in _WORD.findall(plain))


def check(text: str) -> list[str]:
    """The words of a query, or a SearchError that says what is wrong with it."""
    if len(text) > MAX_QUERY:
        raise SearchError(f"q must be at most {MAX_QUERY} characters")
    words = fold(text).split()
    if sum(len(word) for word in words) < 2:
        raise SearchError("q must contain at least two letters or digits")
    return words


def _rank(words: list[str], name: str) -> int | None:
    """How well a folded name matches the query's words: 0 the same, 1 it begins with
    them, 2 each begins a word, 3 each occurs; None: a word does not occur."""
    if not all(word in name for word in words):
        return None
    query = " ".join(words)
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    starts = name.split()
    return 2 if all(any(s.startswith(w) for s in starts) for w in words) else 3


def find(text: str, limit: int) -> list[Match]:
    """The stops (stop offers of the timetables) and hubs whose names match ``text``, best
    first (then shorter names, then alphabetically), at most ``limit``."""
    words = check(text)
    ranked: list[tuple[int, int, str, str, Any]] = []
    stops = Offer.objects.filter(
        mode=Offer.TRANSIT, kind__in=(Offer.STOP, Offer.STATION), feed__kind=Feed.GTFS
    ).values_list("id", "name")
    for pk, name in stops.iterator(chunk_size=5000):
        rank = _rank(words, fold(name))
        if rank is not None:
            ranked.append((rank, len(name), name, "stop", pk))
    for key, name in Hub.objects.values_list("key", "name"):
        rank = _rank(words, fold(name))
        if rank is not None:
            ranked.append((rank, len(name), name, "hub", key))
    ranked.sort(key=lambda entry: entry[:3])
    return _matches(ranked[:limit])


def _matches(ranked: list[tuple[int, int, str, str, Any]]) -> list[Match]:
    stops = {
        o.pk: o
        for o in Offer.objects.filter(pk__in=[e[4] for e in ranked if e[3] == "stop"])
        .select_related("feed")
        .only("id", "name", "lat", "lon", "details", "feed__is_demo")
    }
    hubs = {h.key: h for h in Hub.objects.filter(key__in=[e[4] for e in ranked if e[3] == "hub"])}
    found = []
    for *_order, kind, ref in ranked:
        if kind == "stop" and ref in stops:
            o = stops[ref]
            lines = tuple(line.get("line", "") for line in (o.details or {}).get("lines") or [])
            found.append(Match("stop", o.name, o.lat, o.lon, offer_id=o.pk, lines=lines,
                               is_demo=o.feed.is_demo))  # fmt: skip
        elif kind == "hub" and ref in hubs:
            h = hubs[ref]
            found.append(Match("hub", h.name, h.lat, h.lon, key=h.key, is_demo=h.is_demo))
    return found


def place(text: str) -> Match | None:
    """The place of the page's ``?nahe=`` ("haltestelle:ID", "mobilstation:KEY"), None for
    one that does not exist; SearchError for one that cannot be read."""
    kind, _, ref = text.partition(":")
    if kind == "haltestelle" and ref.isdigit() and len(ref) < 19:
        o = Offer.objects.filter(pk=int(ref), mode=Offer.TRANSIT, feed__kind=Feed.GTFS).exclude(
            kind=Offer.VEHICLE).select_related("feed").first()  # fmt: skip
        return (
            Match("stop", o.name, o.lat, o.lon, offer_id=o.pk, is_demo=o.feed.is_demo)
            if o
            else None
        )
    if kind == "mobilstation" and ref:
        h = Hub.objects.filter(key=ref[:200]).first()
        return Match("hub", h.name, h.lat, h.lon, key=h.key, is_demo=h.is_demo) if h else None
    raise SearchError("nahe must be haltestelle:ID or mobilstation:KEY")
