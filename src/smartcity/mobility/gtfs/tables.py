"""Reading the tables of a GTFS archive one row at a time, and the reference's field types
(gtfs-reference.md, "Field Types") as parsers that say what is wrong.

A table is read with the csv module straight from the zip member (never the whole file in
memory); the header's byte order mark and stray spaces are dropped, as the reference
allows. Each row is a dict of the header's fields with the values stripped; a row with
fewer fields than the header has the others empty (many feeds leave trailing empty fields
out), a row with more is marked (under the key ``""``) to be rejected with its line. A
field parser raises :class:`FieldError`, which names the field, so a rejection reads
``stop_times.txt line 8: departure_time: ...``."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import IO, Any


class FieldError(ValueError):
    """A field that does not hold what the reference says it must."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")


class TableError(ValueError):
    """A table that cannot be read at all (no header, a required column missing)."""


def members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's tables by file name; a feed zipped with a folder around its files is
    read too (the reference wants them at the root; many publishers nest them)."""
    found: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = info.filename.rsplit("/", 1)[-1]
        if name.endswith(".txt") and name not in found:
            found[name] = info
    return found


class Table:
    """One table's header (``index``: column -> position, ``width``) and its rows as
    lists of raw values with their line numbers (the header is line 1), padded to the
    header's width; a row longer than the header is given as it is (``too_long``)."""

    def __init__(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, required: tuple[str, ...] = ()
    ) -> None:
        self.archive, self.info, self.required = archive, info, required
        self.name = info.filename.rsplit("/", 1)[-1]
        self.index: dict[str, int] = {}
        self.width = 0

    def lines(self) -> Iterator[tuple[int, list[str]]]:
        """The rows; TableError when the file is no CSV the csv module can read on (a NUL
        byte, a field over its size limit, a quote that never closes)."""
        try:
            yield from self._lines()
        except csv.Error as error:
            raise TableError(f"{self.name} is not readable as CSV: {error}") from None

    def _lines(self) -> Iterator[tuple[int, list[str]]]:
        with self.archive.open(self.info) as member:
            raw = io.BufferedReader(NoNul(member, self.name), 1 << 16)
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                if self.required:
                    raise TableError(f"{self.name} is empty: it has no header line")
                return
            header = [column.strip() for column in header]
            missing = [column for column in self.required if column not in header]
            if missing:
                raise TableError(f"{self.name} lacks the required column(s) {', '.join(missing)}")
            self.index = {column: n for n, column in reversed(list(enumerate(header)))}
            width = self.width = len(header)
            for values in reader:
                if len(values) < width:  # trailing empty fields left out, as many feeds do
                    if not any(value.strip() for value in values):
                        continue  # an empty line
                    values += [""] * (width - len(values))
                yield reader.line_num, values

    def too_long(self, values: list[str]) -> str:
        """Why a row is rejected for its length ("" when it is not)."""
        if len(values) > self.width:
            return f"has {len(values)} fields, the header only {self.width}"
        return ""


class NoNul(io.RawIOBase):
    """A member's bytes, refused at the first NUL byte (no text holds one, and stores
    such as PostgreSQL refuse it)."""

    def __init__(self, member: IO[bytes], name: str) -> None:
        super().__init__()
        self.member, self.name = member, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.member.read(len(buffer))
        if b"\0" in data:
            raise TableError(f"{self.name} holds a NUL byte: it is not a text file")
        buffer[: len(data)] = data
        return len(data)


def rows(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    required: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of one table as dicts of its columns, stripped, with their line numbers.
    ``required`` columns must be in the header (TableError otherwise); ``only``
    restricts the dicts to those columns. A row longer than the header carries why under
    the key ``""``."""
    table = Table(archive, info, required)
    positions: list[tuple[str, int]] | None = None
    for line, values in table.lines():
        if positions is None:
            positions = [(c, n) for c, n in table.index.items() if only is None or c in only]
        row = {column: values[index].strip() for column, index in positions}
        if len(values) > table.width:
            row[""] = table.too_long(values)
        yield line, row


_TIME = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)")


def time(row: dict[str, str], field: str) -> int | None:
    """A Time (H:MM:SS or HH:MM:SS, past 24:00:00 for trips after midnight) as seconds
    after "noon minus 12 h"; None when empty."""
    return seconds(row.get(field, ""), field)


def seconds(value: str, field: str) -> int | None:
    """:func:`time` of a raw value (the hot path of stop_times.txt)."""
    value = value.strip()
    if not value:
        return None
    if len(value) == 8 and value[2] == ":" and value[5] == ":" and value.isascii():
        hours, minutes, secs = value[:2], value[3:5], value[6:]  # HH:MM:SS, the most common
        digits = hours.isdigit() and minutes.isdigit() and secs.isdigit()
        if digits and hours < "48" and minutes < "60" and secs < "60":
            return int(hours) * 3600 + int(minutes) * 60 + int(secs)
    match = _TIME.fullmatch(value)
    if match is None:
        raise FieldError(field, f"{value!r} is not a time HH:MM:SS")
    h, m, sec = (int(part) for part in match.groups())
    if h > 47:
        raise FieldError(field, f"{value!r} lies more than two days after the service day")
    return h * 3600 + m * 60 + sec


def day(row: dict[str, str], field: str) -> date:
    """A Date (YYYYMMDD); required."""
    value = row.get(field, "")
    if not (len(value) == 8 and value.isdigit()):
        raise FieldError(field, f"{value!r} is not a date YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise FieldError(field, f"{value!r} is not a date of the calendar") from None


def required(row: dict[str, str], field: str) -> str:
    value = row.get(field, "")
    if not value:
        raise FieldError(field, "is required and empty")
    return value


def enum(row: dict[str, str], field: str, allowed: range, default: int = 0) -> int:
    """An Enum field: one of ``allowed``; empty means ``default``."""
    value = row.get(field, "")
    if not value:
        return default
    if not (value.isdigit() and int(value) in allowed):
        raise FieldError(field, f"{value!r} is not one of {allowed.start}..{allowed.stop - 1}")
    return int(value)


def whole(row: dict[str, str], field: str, *, minimum: int = 0) -> int:
    """A required Non-negative integer (at least ``minimum``)."""
    value = required(row, field)
    if not value.isdigit() or int(value) < minimum:
        raise FieldError(field, f"{value!r} is not a whole number of at least {minimum}")
    return int(value)


def coordinate(row: dict[str, str], field: str, limit: float) -> float | None:
    """A Latitude or Longitude (WGS84 degrees, within ±``limit``); None when empty."""
    value = row.get(field, "")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise FieldError(field, f"{value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise FieldError(field, f"{value} lies outside ±{limit:g} degrees")
    return number


_COLOR = re.compile(r"[0-9A-Fa-f]{6}")


def color(row: dict[str, str], field: str) -> str:
    """A Color (six hexadecimal digits, no '#'); empty stays empty."""
    value = row.get(field, "")
    if value and not _COLOR.fullmatch(value):
        raise FieldError(field, f"{value!r} is not a colour of six hex digits")
    return value.upper()
