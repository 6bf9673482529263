"""Every GBFS file is checked against the official JSON Schema of its version (MobilityData
gbfs-json-schema, draft-07, copied into ``schemas/`` with its Apache-2.0 LICENSE) before
anything of it is used.

The schemas fix each version's own rules: v2.3 times are POSIX seconds (integers), v3.x
times RFC 3339 strings (``"format": "date-time"``). jsonschema does not check
``date-time`` unless an extra package is installed, so :data:`FORMATS` checks it here
(RFC 3339 section 5.6, with its offset required); ``date`` and ``email`` are jsonschema's
own checks, ``uri`` is not checked (it needs a package we do not otherwise want).

A validator is compiled once per version and file (:func:`validator` is cached), not per
poll."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError

VERSIONS = ("2.3", "3.0", "3.1-RC3")  # the versions whose schemas are in schemas/
SHOWN_ERRORS = 3  # how many of a file's schema errors a rejection names

_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z", re.ASCII
)

FORMATS = FormatChecker(formats=("date", "email"))


@FORMATS.checks("date-time", raises=ValueError)
def _rfc3339(value: object) -> bool:
    """An RFC 3339 date-time: date, ``T``, time, and ``Z`` or an offset (not optional)."""
    if not isinstance(value, str):
        return True  # the type is the schema's "type" to check
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))  # a real day and time
    return True


class SchemaError(ValueError):
    """A file that is not what its version's schema allows; the message names where."""


@cache
def validator(version: str, name: str) -> Draft7Validator | None:
    """The compiled validator of file ``name`` (e.g. ``station_status``) in ``version``,
    or None when that version has no such file."""
    if version not in VERSIONS:
        return None
    folder = resources.files("smartcity.mobility.gbfs").joinpath("schemas", f"v{version}")
    schema_file = folder.joinpath(f"{name}.json")
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FORMATS)


def where(error: ValidationError) -> str:
    """The JSON Pointer of the value an error is about, ``/`` for the whole document."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path]
    return "/" + "/".join(parts)


def check(version: str, name: str, document: Any) -> None:
    """SchemaError unless ``document`` is a valid file ``name`` of GBFS ``version``; its
    message gives the first errors, each with its JSON Pointer and the schema's message."""
    if version not in VERSIONS:
        raise SchemaError(f"GBFS version {version!r} is not supported ({', '.join(VERSIONS)})")
    compiled = validator(version, name)
    if compiled is None:
        raise SchemaError(f"GBFS {version} has no file {name!r}")
    errors = list(islice(compiled.iter_errors(document), SHOWN_ERRORS + 1))
    if not errors:
        return
    shown = "; ".join(f"{where(e)}: {e.message[:300]}" for e in errors[:SHOWN_ERRORS])
    more = " (and more)" if len(errors) > SHOWN_ERRORS else ""
    raise SchemaError(f"not valid GBFS {version} {name}: {shown}{more}")
