"""The fast path of the two passes over stop_times.txt, the feed's big table (the
Germany-wide feed has tens of millions of rows, of which a city keeps a few per cent):
pyarrow's CSV reader parses the file a block at a time in C++, and the rows of the
area are picked by a set lookup in Arrow, so Python only ever sees the rows that are kept.

It gives what the general path (``tables.Table.lines``) gives for those rows (a test holds
it to that). Where it cannot read a file the same way, it raises :class:`Fallback` and the
caller takes the general path, which then says what is wrong: a row shorter or longer
than the header (the general path reads short rows), bytes that are no UTF-8, a header
with spaces or a column twice, a quoted value cut by a block's end. Rejecting a row is
left to the general path too: its line numbers are the file's even after a line break
inside a quoted value, which shifts the ones counted here; so a load that meets a bad row
starts the pass again on the general path. A NUL byte refuses the feed here as there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from smartcity.mobility.gtfs import tables

BLOCK = 1 << 20  # bytes per parsed block: larger ones are hardly faster and hold more memory
THREADS = False  # one thread: as fast on two cores beside the writer, and less memory


class Fallback(Exception):
    """The fast path cannot read this table as the general path would."""


def available() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return False
    return True


def header(table: tables.Table) -> list[str]:
    """The table's columns as the file names them (its first line)."""
    with table.archive.open(table.info) as member:
        first = member.readline(1 << 16).decode("utf-8-sig", errors="strict")
    return next(csv.reader([first]), [])


def _batches(table: tables.Table, columns: list[str]) -> Iterator[dict[str, Any]]:
    """The table's ``columns`` a block at a time, as Arrow string arrays."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    names = header(table)
    if any(name != name.strip() for name in names) or len(set(names)) < len(names):
        raise Fallback("the header has spaces or a column twice")
    if not set(columns) <= set(names):
        raise Fallback("a column is missing (the general path says which)")
    with table.archive.open(table.info) as member:
        raw = io.BufferedReader(tables.NoNul(member, table.name), 1 << 20)
        try:
            reader = arrow_csv.open_csv(
                raw,
                read_options=arrow_csv.ReadOptions(block_size=BLOCK, use_threads=THREADS),
                parse_options=arrow_csv.ParseOptions(ignore_empty_lines=False),
                convert_options=arrow_csv.ConvertOptions(
                    include_columns=columns,
                    column_types={name: pa.string() for name in columns},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            try:
                for batch in reader:
                    yield {name: batch.column(name) for name in columns}
            finally:
                reader.close()
        except pa.ArrowException as error:
            raise Fallback(str(error)) from None


def served(table: tables.Table, stops: set[str], trip: str, stop: str) -> set[str]:
    """The values of column ``trip`` in the rows whose column ``stop`` is one of ``stops``
    (values stripped, as the general path compares them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pa.array(sorted(stops), pa.string())
    found: set[str] = set()
    for batch in _batches(table, [trip, stop]):
        keys = pc.utf8_trim_whitespace(batch[stop])
        picked = pc.filter(batch[trip], pc.is_in(keys, value_set=wanted))
        found.update(pc.unique(pc.utf8_trim_whitespace(picked)).to_pylist())
    return found


def rows(
    table: tables.Table, columns: list[str], key: str, kept: set[str]
) -> Iterator[tuple[int, list[str]]]:
    """The rows whose column ``key`` (stripped) is one of ``kept``, with their line numbers
    (the header is line 1), each as the list of its ``columns``' raw values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pa.array(sorted(kept), pa.string())
    line = 2
    for batch in _batches(table, columns):
        column = batch[key]
        mask = pc.is_in(pc.utf8_trim_whitespace(column), value_set=wanted)
        indices = pc.indices_nonzero(mask).to_pylist()
        if indices:
            values = [pc.take(batch[name], indices).to_pylist() for name in columns]
            for at, row in zip(indices, zip(*values, strict=True), strict=True):
                yield line + at, list(row)
        line += len(column)
