"""``smartcity account``: people's accounts for the operator: a staff account made with a
link to set its password (no password on a command line), roles granted and revoked,
teams, and a list of accounts with their roles and second factors."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from smartcity.core import config, roles


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create-staff", help="a staff account with a role, and a link to set its password"
    )
    create.add_argument("--email", required=True)
    _role_arguments(create)
    for name, text in (("grant", "give an account a role"), ("revoke", "take a role away")):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("--email", required=True)
        _role_arguments(sub)
    team = actions.add_parser("team", help="add a team (or rename it): --key K --name N")
    team.add_argument("--key", required=True, help="e.g. standesamt")
    team.add_argument("--name", required=True, help="e.g. Standesamt")
    listing = actions.add_parser("list", help="accounts with their roles and second factors")
    listing.add_argument("--staff", action="store_true", help="only accounts with a staff role")
    parser.set_defaults(func=run)


def _role_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, choices=[r.key for r in roles.ROLES])
    parser.add_argument("--team", help="the team's key, for a role held for a team")


def run(args: argparse.Namespace) -> int:
    try:
        return ACTIONS[args.action](args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _user(email: str) -> Any:
    from smartcity.core.accounts.login import registration

    found = registration.account_for(email)
    if found is None:
        raise ValueError(f"there is no active account for {email!r}")
    return found


def _create_staff(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from smartcity.core.accounts.login import registration
    from smartcity.core.accounts.login.models import Registration

    username = registration.username_for(args.email)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"there is an account for {args.email!r} already (use grant)")
    with transaction.atomic():
        user = User.objects.create_user(username, email=username)  # no usable password yet
        Registration.objects.create(user=user, confirmed_at=timezone.now())
        roles.grant(user, args.role, args.team)
    hours = config.get("ACCOUNT_LINK_HOURS")
    team = f" ({args.team})" if args.team else ""
    print(f"created {username} with the role {args.role}{team}")
    print(f"link to set the password (valid {hours} h, once):")
    print(registration.link(registration.reset_path(user)))
    print("after the password, the account sets up its second factor at the first login")
    return 0


def _grant(args: argparse.Namespace) -> int:
    user = _user(args.email)
    roles.grant(user, args.role, args.team)
    print(f"{user.username}: {args.role}" + (f" ({args.team})" if args.team else ""))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    user = _user(args.email)
    gone = roles.revoke(user, args.role, args.team)
    print(f"{user.username}: revoked {gone} role grant(s)")
    return 0 if gone else 1


def _team(args: argparse.Namespace) -> int:
    from smartcity.core.models import Team

    team, created = Team.objects.update_or_create(key=args.key, defaults={"name": args.name})
    print(("added" if created else "renamed") + f" team {team.key}: {team.name}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from smartcity.core.accounts.login import factors

    print("account\tactive\troles\tsecond factors")
    users = get_user_model().objects.order_by("username").prefetch_related("roles__team")
    for user in users.iterator(chunk_size=500):
        held = [g.role + (f"@{g.team.key}" if g.team else "") for g in user.roles.all()]
        if args.staff and not factors.needs_two_factors(user):
            continue
        devices = ", ".join(factors.describe_devices(user)) or "-"
        active = "yes" if user.is_active else "no"
        print(f"{user.username}\t{active}\t{', '.join(sorted(held)) or '-'}\t{devices}")
    return 0


ACTIONS = {
    "create-staff": _create_staff,
    "grant": _grant,
    "revoke": _revoke,
    "team": _team,
    "list": _list,
}
