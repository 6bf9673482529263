"""Tokens of the SensorThings/OData expression language (OGC 18-088 clause 9.3.3.5).

Keywords such as ``eq``, ``and`` or ``true`` are lexed as names; the parser decides from
context what they mean.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum

from smartcity.core.errors import BadRequest

# Integers beyond 64 bits cannot be bound as SQL parameters, so they are read as decimals.
_INT64_MAX = 2**63 - 1


class Tok(Enum):
    NAME = "name"  # property, navigation, function or keyword; may contain dots (geo.distance)
    STRING = "string"
    INT = "integer"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    DATE = "date"
    TIMEOFDAY = "time of day"
    INTERVAL = "interval"
    DURATION = "duration"
    GEO = "geometry literal"
    SLASH = "'/'"
    LPAREN = "'('"
    RPAREN = "')'"
    COMMA = "','"
    MINUS = "'-'"
    END = "end of input"


@dataclass(frozen=True)
class Token:
    kind: Tok
    text: str  # the source text (for quoted literals: the unquoted value)
    pos: int
    end: int


_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?"
_OFFSET = r"(?:[Zz]|[+-]\d{2}:\d{2})"
_DATETIME = rf"\d{{4}}-\d{{2}}-\d{{2}}T{_TIME}{_OFFSET}?"
_DURATION = r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"

_PATTERNS: list[tuple[Tok, re.Pattern[str]]] = [
    (Tok.INTERVAL, re.compile(rf"(?:{_DATETIME}|{_DURATION})/(?:{_DATETIME}|{_DURATION})")),
    (Tok.DATETIME, re.compile(_DATETIME)),
    (Tok.DATE, re.compile(r"\d{4}-\d{2}-\d{2}")),
    (Tok.TIMEOFDAY, re.compile(_TIME)),
    (Tok.DECIMAL, re.compile(r"\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+")),
    (Tok.INT, re.compile(r"\d+")),
    (Tok.NAME, re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")),
]
_PUNCTUATION = {"/": Tok.SLASH, "(": Tok.LPAREN, ")": Tok.RPAREN, ",": Tok.COMMA, "-": Tok.MINUS}
_QUOTED_PREFIXES = {"geography": Tok.GEO, "geometry": Tok.GEO, "duration": Tok.DURATION}
_WORD_END = re.compile(r"[A-Za-z0-9_.]")
# The one annotation that names a property: ``@iot.id`` stands for ``id`` in paths
# (``Datastream/Thing/@iot.id``), as in $select and as FROST-Server reads it.
ID_ANNOTATION = "@iot.id"


def error(message: str, pos: int) -> BadRequest:
    return BadRequest(f"{message} at position {pos}", where="$filter")


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` followed by an END token; BadRequest on anything unknown."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in _PUNCTUATION:
            tokens.append(Token(_PUNCTUATION[char], char, pos, pos + 1))
            pos += 1
        elif char == "'":
            value, end = _read_quoted(text, pos)
            tokens.append(Token(Tok.STRING, value, pos, end))
            pos = end
        elif char == "@":
            token = _read_annotation(text, pos)
            tokens.append(token)
            pos = token.end
        else:
            token = _read_word(text, pos)
            tokens.append(token)
            pos = token.end
    tokens.append(Token(Tok.END, "", len(text), len(text)))
    return tokens


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The value of the single-quoted string at ``start`` (with '' as an escaped quote)."""
    parts: list[str] = []
    pos = start + 1
    while True:
        end = text.find("'", pos)
        if end < 0:
            raise error("unterminated string literal starting", start)
        parts.append(text[pos:end])
        if text.startswith("''", end):
            parts.append("'")
            pos = end + 2
        else:
            return "".join(parts), end + 1


def _read_word(text: str, pos: int) -> Token:
    for kind, pattern in _PATTERNS:
        match = pattern.match(text, pos)
        if not match:
            continue
        word = match.group(0)
        after = match.end()
        if kind is Tok.NAME and after < len(text) and text[after] == "'":
            return _quoted_literal(text, pos, word)
        if kind is not Tok.NAME and after < len(text) and _WORD_END.match(text, after):
            continue  # e.g. "12abc": not a number followed by a name
        if kind is Tok.INT and int(word) > _INT64_MAX:
            kind = Tok.DECIMAL
        if kind is Tok.DECIMAL and not math.isfinite(float(word)):
            raise error(f"number {word} is out of range", pos)
        return Token(kind, word, pos, after)
    raise error(f"unexpected character {text[pos]!r}", pos)


def _read_annotation(text: str, pos: int) -> Token:
    end = pos + len(ID_ANNOTATION)
    if text.startswith(ID_ANNOTATION, pos) and not _WORD_END.match(text, end):
        return Token(Tok.NAME, ID_ANNOTATION, pos, end)
    raise error(
        f"unexpected character '@'; of the annotations only {ID_ANNOTATION} is a property", pos
    )


def _quoted_literal(text: str, pos: int, prefix: str) -> Token:
    kind = _QUOTED_PREFIXES.get(prefix.lower())
    if kind is None:
        raise error(
            f"unknown literal type {prefix!r} (use geography'...', geometry'...' or duration'...')",
            pos,
        )
    value, end = _read_quoted(text, pos + len(prefix))
    return Token(kind, value, pos, end)
