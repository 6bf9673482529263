"""`smartcity service import-xdf`: a FIM xDatenfelder 3 schema as a service's form.

Without ``--service`` the form is printed (JSON) to check it; with it, it becomes that
service's form, and a service of that key that does not exist yet is created unpublished
(named after the schema), for the city to describe in the back office before it goes
online. The form is checked against the format's rules before it is stored."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _read_bytes(path: str, limit: int) -> bytes:
    file = Path(path)
    if file.stat().st_size > limit:
        raise ValueError(
            f"{path} has more than {limit} bytes (SMARTCITY_ADMINISTRATION_XDF_MAX_BYTES)"
        )
    return file.read_bytes()


def cmd_import_xdf(args: argparse.Namespace) -> int:
    from smartcity.administration.catalogue import form_format
    from smartcity.administration.catalogue.xdf import codelists, mapping, reader
    from smartcity.core import config

    limit = config.get("ADMINISTRATION_XDF_MAX_BYTES")
    try:
        lists = [codelists.read(_read_bytes(p, limit), p) for p in args.codelist]
        schema = reader.read(_read_bytes(args.file, limit))
        form, notes = mapping.to_form(schema, lists)
    except (OSError, ValueError) as error:  # XdfError is a ValueError
        print(f"error: {error}", file=sys.stderr)
        return 1
    problems = form_format.problems(form)
    if problems:  # a mapping bug, not the file's fault: say so plainly
        print("error: the form breaks the format's rules: " + "; ".join(problems), file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if not args.service:
        print(json.dumps(form, ensure_ascii=False, indent=2))
        return 0
    return _store(args.service, schema.label, form)


def _store(key: str, name: str, form: dict) -> int:
    from django.core.exceptions import ValidationError

    from smartcity.administration.models import Service

    service = Service.objects.filter(key=key).first()
    created = service is None
    if service is None:
        service = Service(key=key, name=name[:200], published=False)
    service.form = form
    try:
        service.full_clean()
    except ValidationError as error:
        print(f"error: service {key!r}: {'; '.join(error.messages)}", file=sys.stderr)
        return 1
    service.save()
    fields = sum(len(step["fields"]) for step in form["steps"])
    state = "created (unpublished: describe it in the back office)" if created else "updated"
    print(f"service {key}: {state}, form of {len(form['steps'])} steps, {fields} fields")
    return 0


def configure(service: argparse.ArgumentParser) -> None:
    actions = service.add_subparsers(dest="action", required=True, metavar="ACTION")
    xdf = actions.add_parser(
        "import-xdf", help="read a FIM xDatenfelder 3.0 Stammdatenschema into a form"
    )
    xdf.add_argument("--file", required=True, help="the xDatenfelder 3 XML file")
    xdf.add_argument(
        "--service", help="the key of the service whose form it becomes (default: print it)"
    )
    xdf.add_argument(
        "--codelist",
        action="append",
        default=[],
        metavar="FILE",
        help="a genericode code list the schema refers to (repeatable)",
    )
    xdf.set_defaults(func=cmd_import_xdf)
