"""Searching the catalogue by words in a service's name, summary and keywords, case- and
umlaut-insensitive (catalogue.folding) and bounded: at most
SMARTCITY_ADMINISTRATION_SEARCH_MAX_CHARS characters asked, at most
SMARTCITY_ADMINISTRATION_SEARCH_MAX_RESULTS services answered. Every word must occur
(anywhere in a word, so "pass" finds "Kinderreisepass")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from smartcity.administration.catalogue.folding import words
from smartcity.administration.models import Service
from smartcity.core import config

MAX_WORDS = 10  # more words than this in one query are refused (each is one LIKE)


class SearchError(ValueError):
    """A query that cannot be searched; the message says why, for the person asking."""


@dataclass(frozen=True)
class Found:
    query: str
    services: list[Service]
    more: bool  # there are more than shown: the person should search more precisely
    limit: int


def query_words(query: str) -> list[str]:
    """The words to search for in ``query``, or a SearchError saying what is wrong."""
    longest = config.get("ADMINISTRATION_SEARCH_MAX_CHARS")
    if len(query) > longest:
        raise SearchError(
            _("Der Suchbegriff ist zu lang: höchstens %(count)s Zeichen.") % {"count": longest}
        )
    if any(ord(char) < 32 and char not in "\t\n\r" for char in query):
        raise SearchError(_("Der Suchbegriff enthält Steuerzeichen. Bitte nur Wörter eingeben."))
    found = words(query)
    if not found:
        raise SearchError(_("Bitte geben Sie mindestens ein Wort mit Buchstaben oder Ziffern ein."))
    if len(found) > MAX_WORDS:
        raise SearchError(
            _("Bitte suchen Sie mit höchstens %(count)s Wörtern.") % {"count": MAX_WORDS}
        )
    return found


def published() -> QuerySet[Service]:
    return Service.objects.filter(published=True)


def search(query: str) -> Found:
    """The published services whose texts hold every word of ``query``, by name."""
    limit = config.get("ADMINISTRATION_SEARCH_MAX_RESULTS")
    matching = published()
    for word in query_words(query):
        matching = matching.filter(search__contains=word)
    services = list(matching.order_by("name")[: limit + 1])
    return Found(query, services[:limit], len(services) > limit, limit)
