"""The Kassenzeichen: the city's cash reference a transfer must carry, so the cash office
(and the CAMT.053 import) can tell which payment it is.

Its shape is ``SMARTCITY_PAYMENT_KASSENZEICHEN_FORMAT``: digits, ``{yy}`` or ``{yyyy}`` (the
year), and one ``{serial:N}`` (N random digits, 4 to 12); a check digit (Luhn, ISO/IEC
7812: it finds every single wrong digit and almost every swap of two neighbours) is
appended. The default ``5{yy}{serial:7}`` gives eleven digits, e.g. ``526 1234567 3``.
Only digits, so that it survives every bank's remittance field."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from stdnum import luhn

_PART = re.compile(r"\{(yy|yyyy|serial:(\d+))\}|(\d+)")


class FormatError(ValueError):
    """SMARTCITY_PAYMENT_KASSENZEICHEN_FORMAT is not a format this module can fill."""


@dataclass(frozen=True)
class Format:
    parts: tuple[str, ...]  # "yy", "yyyy", "serial:N" or literal digits
    serial: int  # how many random digits

    @property
    def length(self) -> int:
        widths = {"yy": 2, "yyyy": 4}
        total = sum(
            widths.get(p, self.serial if p.startswith("serial") else len(p)) for p in self.parts
        )
        return total + 1  # the check digit

    def pattern(self) -> re.Pattern[str]:
        """A Kassenzeichen of this format (any year), as a whole string."""
        pieces = []
        for part in self.parts:
            if part in ("yy", "yyyy"):
                pieces.append(rf"\d{{{len(part)}}}")
            elif part.startswith("serial"):
                pieces.append(rf"\d{{{self.serial}}}")
            else:
                pieces.append(re.escape(part))
        return re.compile("".join(pieces) + r"\d")


@cache
def parse_format(text: str) -> Format:
    parts: list[str] = []
    serial = 0
    position = 0
    for found in _PART.finditer(text):
        if found.start() != position:
            break
        position = found.end()
        if found.group(2):
            if serial:
                raise FormatError(f"{text!r}: only one {{serial:N}}")
            serial = int(found.group(2))
            if not 4 <= serial <= 12:
                raise FormatError(f"{text!r}: {{serial:N}} needs N from 4 to 12")
            parts.append(f"serial:{serial}")
        else:
            parts.append(found.group(1) or found.group(3))
    if position != len(text) or not serial:
        raise FormatError(
            f"{text!r} is not a Kassenzeichen format: digits, {{yy}} or {{yyyy}}, and one "
            "{serial:N}, nothing else"
        )
    return Format(tuple(parts), serial)


def current_format() -> Format:
    from smartcity.core import config

    return parse_format(config.get("PAYMENT_KASSENZEICHEN_FORMAT"))


def with_check_digit(digits: str) -> str:
    return digits + luhn.calc_check_digit(digits)


def candidate(form: Format, today: date) -> str:
    """A new Kassenzeichen of ``form``: its serial random, so none follows from another."""
    text = []
    for part in form.parts:
        if part == "yy":
            text.append(f"{today.year % 100:02d}")
        elif part == "yyyy":
            text.append(f"{today.year:04d}")
        elif part.startswith("serial"):
            text.append(f"{secrets.randbelow(10**form.serial):0{form.serial}d}")
        else:
            text.append(part)
    return with_check_digit("".join(text))


def is_valid(text: str, form: Format | None = None) -> bool:
    """Whether ``text`` has the shape of ``form`` (the configured one) and its check digit."""
    form = form or current_format()
    return bool(form.pattern().fullmatch(text)) and luhn.is_valid(text)


_DIGITS = re.compile(r"\d(?:[ .\-/]?\d)*")


def find_in(text: str, form: Format | None = None) -> Iterator[str]:
    """Every valid Kassenzeichen in free text such as a transfer's remittance information,
    also when the payer wrote it in groups (``526 1234 5673``)."""
    form = form or current_format()
    seen = set()
    for run in _DIGITS.finditer(text):
        digits = re.sub(r"[ .\-/]", "", run.group())
        for start in range(len(digits) - form.length + 1):
            found = digits[start : start + form.length]
            if found not in seen and is_valid(found, form):
                seen.add(found)
                yield found
