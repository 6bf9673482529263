"""Text folded for search, the same on SQLite and PostgreSQL: lower case, umlauts as two
letters (ä = ae, ß = ss), other accents dropped (é = e), everything but letters and digits a
space. A service keeps its folded name, summary and keywords in one column (``search``),
so a search is a few ``LIKE`` tests on it and needs no function of either store.

The column holds each text twice, folded with ``ä = ae`` and with ``ä = a``, so "Frühe
Hilfen", "Fruehe Hilfen" and "Fruhe Hilfen" all find the service."""

from __future__ import annotations

import re
import unicodedata

_TWO_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_ONE_LETTER = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str, *, umlauts: dict[int, str] = _TWO_LETTERS) -> str:
    """``text`` folded: "Kita-Platz für Ärztinnen" is "kita platz fuer aerztinnen"."""
    lowered = text.lower().translate(umlauts).casefold()
    plain = unicodedata.normalize("NFKD", lowered)
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(_NOT_A_WORD.sub(" ", plain).split())


def words(query: str) -> list[str]:
    """The folded words of a search query, each once, in order."""
    return list(dict.fromkeys(fold(query).split()))


def search_text(*texts: str) -> str:
    """What the ``search`` column holds for a service with these texts."""
    joined = " | ".join(texts)
    return f" {fold(joined)} | {fold(joined, umlauts=_ONE_LETTER)} "
