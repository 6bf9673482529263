"""``smartcity lockouts``: the failed logins the platform counts (axes' records), which of
them are locked now, and unlocking them, for the operator who gets the call."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="failed logins still counted, and whether each is locked")
    reset = actions.add_parser(
        "reset", help="forget the failed logins of a user name, an address or both: unlocks"
    )
    reset.add_argument("--username", help="the user name as it was typed")
    reset.add_argument("--ip", help="the client address")
    reset.add_argument("--all", action="store_true", help="every record (unlocks everyone)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list()
    return _reset(args)


def _list() -> int:
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    from smartcity.core import logins

    since = timezone.now() - logins.cool_off()
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
    totals = _totals(attempts)
    print("username\tip\tfailures\tlast attempt\tstate")
    for attempt in attempts:
        counted = max(totals[key] for key in _keys(attempt))
        locked = counted >= settings.AXES_FAILURE_LIMIT
        until = timezone.localtime(attempt.attempt_time + logins.cool_off())
        state = f"locked until {until:%Y-%m-%d %H:%M}" if locked else "not locked"
        print(
            f"{attempt.username}\t{attempt.ip_address}\t{attempt.failures_since_start}\t"
            f"{timezone.localtime(attempt.attempt_time):%Y-%m-%d %H:%M:%S}\t{state}"
        )
    return 0


def _keys(attempt: Any) -> list[tuple[Any, ...]]:
    """What axes counts this record's failures under (SMARTCITY_LOGIN_LOCKOUT_BY)."""
    from django.conf import settings

    keys = []
    for parameter in settings.AXES_LOCKOUT_PARAMETERS:
        names = [parameter] if isinstance(parameter, str) else list(parameter)
        keys.append(tuple((name, getattr(attempt, name)) for name in names))
    return keys


def _totals(attempts: Any) -> dict[tuple[Any, ...], int]:
    totals: dict[tuple[Any, ...], int] = {}
    for attempt in attempts:
        for key in _keys(attempt):
            totals[key] = totals.get(key, 0) + attempt.failures_since_start
    return totals


def _reset(args: argparse.Namespace) -> int:
    from axes.utils import reset

    if not (args.all or args.username or args.ip):
        print("error: give --username, --ip (or both), or --all", file=sys.stderr)
        return 2
    count = reset() if args.all else reset(ip=args.ip, username=args.username)
    print(f"reset {count} record(s) of failed logins")
    return 0
