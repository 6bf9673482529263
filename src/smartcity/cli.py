"""The ``smartcity`` command: serve, migrate, demo, import, token, createsuperuser, worker,
and every command a domain declares (``Domain.commands``, e.g. ``mqtt``).

Every command and option is documented in docs/cli.md (a test checks that).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smartcity.core.models import ApiToken

COMMANDS_HELP = {
    "serve": "serve the platform over HTTP (ASGI, uvicorn); migrates the embedded store first",
    "migrate": "create or update the database tables (the store's and the audit log's)",
    "demo": "load the Hamm demo data (idempotent: a second run adds nothing)",
    "import": "import measurements from a public source (e.g. sensor-community), idempotently",
    "token": "manage API tokens for devices and scripts (create, list, rotate, revoke)",
    "createsuperuser": "create an administrator account for /admin/",
    "worker": "run the task consumer (scheduled imports, alerts, notifications)",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()


def _ensure_data_dir() -> None:
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)


def migrate_all(verbosity: int) -> None:
    """Migrate every database alias: the store, then the audit log's (core/audit.py; on
    SQLite a file of its own, on PostgreSQL the same database, where it is a no-op)."""
    from django.conf import settings
    from django.core.management import call_command

    for alias in settings.DATABASES:
        call_command("migrate", database=alias, interactive=False, verbosity=verbosity)


def cmd_migrate(args: argparse.Namespace) -> int:
    _ensure_data_dir()
    migrate_all(args.verbosity)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn
    from django.db import connection

    _ensure_data_dir()
    if connection.vendor == "sqlite":
        if args.workers != 1:
            print(
                "smartcity: the embedded SQLite store is served by one process; "
                "set SMARTCITY_DATABASE_URL to PostgreSQL for --workers above 1",
                file=sys.stderr,
            )
            return 2
        migrate_all(verbosity=0)
    from smartcity.core.memory import tune_allocator

    tune_allocator()  # before uvicorn starts the worker threads
    print(f"smartcity: serving on http://{args.host}:{args.port}/", flush=True)
    uvicorn.run(
        "smartcity.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        proxy_headers=args.proxy_headers,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from smartcity.core import demo

    _ensure_data_dir()

    counts = demo.load_all(days=args.days, progress=None if args.quiet else _progress_bar)
    created = {k: v for k, v in counts.items() if v}
    if created:
        print("Demo data loaded: " + ", ".join(f"{v} {k}" for k, v in created.items()))
    else:
        print("Demo data already present; nothing added.")
    return 0


def _progress_bar(stage: str, done: int, total: int) -> None:
    width = 30
    if not total:  # the size is not known (yet): how far, without a bar
        print(f"\r  {stage[:40]:<40} {done}", end="", flush=True)
        return
    filled = int(width * done / total)
    print(
        f"\r  {stage[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end="" if done < total else "\n",
        flush=True,
    )


def cmd_import(args: argparse.Namespace) -> int:
    from smartcity.core import importers

    if args.source not in importers.names():
        print(
            f"error: unknown source {args.source!r}; known: {', '.join(importers.names())}",
            file=sys.stderr,
        )
        return 2
    options: dict[str, object] = {"bbox": args.bbox} if args.bbox else {}
    if args.feed:
        options["feed"] = args.feed
    source = sys.stdin.buffer if args.file == "-" else (args.file or args.url)
    try:
        report = importers.run(
            importers.get(args.source),
            source,
            progress=None if args.quiet else _progress_bar,
            **options,
        )
    except (OSError, ValueError) as error:
        print(f"error: cannot read the source: {error}", file=sys.stderr)
        return 1
    created = ", ".join(f"{n} {k}" for k, n in report.created.items()) or "nothing new"
    print(f"{args.source}: created {created}")
    if report.skipped:
        print("  skipped: " + ", ".join(f"{n} {k}" for k, n in report.skipped.items()))
    for where, reason in report.rejected:
        print(f"  rejected {where}: {reason}", file=sys.stderr)
    if report.failure:
        print(f"error: cannot read the source to its end: {report.failure}", file=sys.stderr)
        return 1
    return 0


def _bbox(text: str) -> object:
    from smartcity.core.geo import BBox, GeometryError

    try:
        return BBox.parse(text)
    except GeometryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_token(args: argparse.Namespace) -> int:
    from smartcity.core import contract, tokens
    from smartcity.core.models import ApiToken

    domains = contract.token_grants()
    if args.action == "create":
        grants = {k: v for domain in domains for k, v in domain.from_arguments(args).items()}
        try:
            token, secret = tokens.create_token(args.name, args.scope or [], **grants)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(secret)
        _report_grants(token)
        return 0
    if args.action == "list":
        for token in ApiToken.objects.order_by("id"):
            state = "revoked" if token.revoked_at else "active"
            extra = "".join(f"\t{domain.describe(token)}" for domain in domains)
            print(
                f"{token.pk}\t{token.name}\t{token.prefix}…\t{','.join(token.scopes)}\t{state}"
                f"{extra}"
            )
        return 0
    if args.action == "rotate":
        found = tokens.find_active(args.token)
        if len(found) != 1:
            print(
                f"error: {len(found)} active tokens with id or name {args.token!r}; give its id",
                file=sys.stderr,
            )
            return 1
        print(tokens.rotate_token(found[0]))
        _report_grants(found[0])
        return 0
    revoked = tokens.revoke_token(args.token)
    if not revoked:
        print(f"error: no active token with id or name {args.token!r}", file=sys.stderr)
        return 1
    print(f"revoked {revoked} token(s)")
    return 0


def _report_grants(token: ApiToken) -> None:
    """What the domains tell the operator about a new or rotated token (e.g. its MQTT
    user name), on stderr: stdout carries only the secret."""
    from smartcity.core import contract

    for domain in contract.token_grants():
        for note in domain.notes(token):
            print(note, file=sys.stderr)


def cmd_createsuperuser(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    options = {"interactive": not args.noinput}
    if args.username:
        options["username"] = args.username
    if args.email:
        options["email"] = args.email
    call_command("createsuperuser", **options)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from smartcity.core import tasks

    _ensure_data_dir()
    logging.getLogger("huey").setLevel(logging.INFO)  # its handler comes from settings
    where = "Redis" if tasks.queue.__class__.__name__ == "RedisHuey" else "the embedded queue"
    print(f"smartcity: task consumer on {where} ({tasks.queue.name})", flush=True)
    tasks.create_consumer(embedded=False, periodic=not args.no_periodic).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartcity",
        description="Smart City Hamm platform: urban data, mobility, "
        "administration and participation. Configuration: SMARTCITY_* variables "
        "(docs/configuration.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_serve_parser(sub)
    migrate = sub.add_parser(
        "migrate", help=COMMANDS_HELP["migrate"], description=COMMANDS_HELP["migrate"]
    )
    migrate.add_argument("--verbosity", type=int, default=1, help="0 quiet, 1 normal, 2 more")
    migrate.set_defaults(func=cmd_migrate)
    demo = sub.add_parser("demo", help=COMMANDS_HELP["demo"], description=COMMANDS_HELP["demo"])
    demo.add_argument("--days", type=int, default=28, help="days of measurements to generate")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(func=cmd_demo)
    imp = sub.add_parser(
        "import", help=COMMANDS_HELP["import"], description=COMMANDS_HELP["import"]
    )
    imp.add_argument("source", help="the source, e.g. sensor-community")
    where = imp.add_mutually_exclusive_group()
    where.add_argument(
        "--file",
        help="read the source from this file (- for standard input) instead of fetching it",
    )
    where.add_argument("--url", help="read the source from this https URL instead of its own")
    imp.add_argument(
        "--bbox", type=_bbox, help="area WEST,SOUTH,EAST,NORTH in degrees (default: the city)"
    )
    imp.add_argument("--feed", help="mobility sources: the key of the feed to write")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(func=cmd_import)
    _add_token_parser(sub)
    su = sub.add_parser(
        "createsuperuser",
        help=COMMANDS_HELP["createsuperuser"],
        description=COMMANDS_HELP["createsuperuser"],
    )
    su.add_argument("--username", help="user name")
    su.add_argument("--email", help="e-mail address")
    su.add_argument(
        "--noinput",
        action="store_true",
        help="no prompts; the password comes from DJANGO_SUPERUSER_PASSWORD",
    )
    su.set_defaults(func=cmd_createsuperuser)
    worker = sub.add_parser(
        "worker", help=COMMANDS_HELP["worker"], description=COMMANDS_HELP["worker"]
    )
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help="do not enqueue the periodic tasks (when another worker does)",
    )
    worker.set_defaults(func=cmd_worker)
    _add_domain_commands(sub)
    return parser


def _add_serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help=COMMANDS_HELP["serve"], description=COMMANDS_HELP["serve"])
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes (use PostgreSQL for more than one)"
    )
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* headers from a reverse proxy",
    )
    serve.set_defaults(func=cmd_serve)


def _add_domain_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Each installed domain's commands (``Domain.commands``)."""
    from smartcity.core import contract

    for command in contract.commands():
        configure = contract.resolve(command.configure)
        configure(sub.add_parser(command.name, help=command.help, description=command.help))


def commands_help() -> dict[str, str]:
    """Every command with its one line of help: the platform's and the domains'."""
    from smartcity.core import contract

    return {**COMMANDS_HELP, **{c.name: c.help for c in contract.commands()}}


def _add_token_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from smartcity.core import contract

    known_scopes = contract.scopes()
    token = sub.add_parser("token", help=COMMANDS_HELP["token"], description=COMMANDS_HELP["token"])
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a token and print its secret once")
    create.add_argument("--name", required=True, help="who or what uses the token")
    create.add_argument(
        "--scope",
        action="append",
        choices=sorted(known_scopes),
        help="a permission; repeat for several: "
        + "; ".join(f"{k}: {v}" for k, v in known_scopes.items()),
    )
    for domain in contract.token_grants():
        domain.add_arguments(create)  # e.g. --datastream of sensors
    actions.add_parser("list", help="list tokens (never their secrets)")
    rotate = actions.add_parser(
        "rotate", help="give a token a new secret (printed once; the old one stops working)"
    )
    rotate.add_argument("token", help="id or name of the token")
    revoke = actions.add_parser("revoke", help="revoke a token by id or name")
    revoke.add_argument("token", help="id or name of the token")
    token.set_defaults(func=cmd_token)


def main(argv: Sequence[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup()  # first: the installed apps bring their commands and scopes
    except ImproperlyConfigured as error:  # a setting says what is wrong; no traceback
        print(f"smartcity: error: {error}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
