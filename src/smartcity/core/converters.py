"""URL path converters shared by the domains' pages."""

from __future__ import annotations


class IdConverter:
    """A database id in a URL: 1 to 18 digits, so it always fits a 64-bit integer column
    (Django's ``int`` converter takes any length, and the store then fails on a number too
    large for it). Longer numbers do not match the URL: a 404, as for an unknown id."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
