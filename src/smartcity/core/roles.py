"""Who may do what. People hold roles (``ROLES``, the platform's, for every domain); each
domain declares its actions with the roles that may take them (``Domain.actions``), and
asks :func:`may` before it does one. Nothing else decides: no checks of groups, staff flags
or user names scattered through views.

A clerk or supervisor holds the role for a team (core.models.Team); an action declared with
``team=True`` is allowed to them only for that team's objects. API tokens are machines and
have scopes instead (core.tokens), not roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from smartcity.core import contract
from smartcity.core.contract import Text


@dataclass(frozen=True)
class Role:
    key: str
    title: Text
    description: str
    team: bool = False  # held for a team
    staff: bool = True  # city staff: logs in with two factors


ROLES: tuple[Role, ...] = (
    Role(
        "citizen", _("Bürgerin oder Bürger"), "applies for services and takes part", staff=False
    ),
    Role("clerk", _("Sachbearbeitung"), "works the cases of a team", team=True),
    Role("supervisor", _("Teamleitung"), "sees a team's workload, approves", team=True),
    Role("moderator", _("Moderation"), "moderates participation"),
    Role("smartcity", _("Smart-City-Team"), "keeps strategy, projects and the data catalogue"),
    Role("admin", _("Administration"), "manages accounts, roles and teams"),
)
BY_KEY = {role.key: role for role in ROLES}


def role(key: str) -> Role:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValueError(f"there is no role {key!r} (roles: {', '.join(BY_KEY)})") from None


def held(user) -> dict[str, frozenset[str | None]]:  # type: ignore[no-untyped-def]
    """The roles ``user`` holds, each with the keys of its teams (None: held without one).
    Read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_smartcity_roles", None)
    if cached is None:
        found: dict[str, set[str | None]] = {}
        for key, team in user.roles.values_list("role", "team__key"):
            found.setdefault(key, set()).add(team)
        cached = {key: frozenset(teams) for key, teams in found.items()}
        user._smartcity_roles = cached
    return cached


def may(user, action: str, team: str | None = None) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``user`` may take the declared ``action`` (for an object of ``team``, where
    the action is a team's). An undeclared action is a programming error, not a no."""
    declared = contract.actions().get(action)
    if declared is None:
        raise LookupError(f"no domain declares the action {action!r}")
    roles = held(user)
    for key in declared.roles:
        teams = roles.get(key)
        if teams is None:
            continue
        if not (declared.team and role(key).team) or team in teams:
            return True
    return False


def teams_for(user, action: str) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The teams whose objects ``user`` may take the team ``action`` on (for a list view)."""
    declared = contract.actions()[action]
    roles = held(user)
    return frozenset(
        team for key in declared.roles for team in roles.get(key, ()) if team is not None
    )


def is_staff(user) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``user`` holds a staff role (and so must log in with two factors)."""
    return any(role(key).staff for key in held(user))


def grant(user, key: str, team: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Give ``user`` the role (for ``team``, the Team's key, where the role is a team's)."""
    from smartcity.core.models import RoleGrant, Team

    wanted = role(key)
    if wanted.team != (team is not None):
        needs = "needs a team" if wanted.team else "is not held for a team"
        raise ValueError(f"the role {key!r} {needs}")
    found = Team.objects.filter(key=team).first() if team else None
    if team and found is None:
        raise ValueError(f"there is no team {team!r}")
    RoleGrant.objects.get_or_create(user=user, role=key, team=found)
    user.__dict__.pop("_smartcity_roles", None)


def revoke(user, key: str, team: str | None = None) -> int:  # type: ignore[no-untyped-def]
    gone, _ = user.roles.filter(role=key, team__key=team).delete() if team else (
        user.roles.filter(role=key, team__isnull=True).delete())  # fmt: skip
    user.__dict__.pop("_smartcity_roles", None)
    return gone
