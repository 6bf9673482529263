"""Roles and actions: a role held for a team allows a team action only for that team; an
action declared without team allows every holder; an undeclared action is an error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User

from smartcity.core import roles
from smartcity.core.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams() -> None:
    Team.objects.create(key="standesamt", name="Standesamt")
    Team.objects.create(key="elterngeld", name="Elterngeldstelle")


def test_a_clerk_may_read_only_their_own_teams_applications(teams: None) -> None:
    clerk = User.objects.create_user("clerk")
    roles.grant(clerk, "clerk", team="standesamt")
    assert roles.may(clerk, "administration.application.read", team="standesamt")
    assert not roles.may(clerk, "administration.application.read", team="elterngeld")
    assert roles.teams_for(clerk, "administration.application.read") == {"standesamt"}
    assert roles.is_staff(clerk)


def test_a_role_without_team_allows_its_action_and_others_do_not(teams: None) -> None:
    admin, citizen = User.objects.create_user("admin"), User.objects.create_user("citizen")
    roles.grant(admin, "admin")
    roles.grant(citizen, "citizen")
    assert roles.may(admin, "administration.service.edit")
    assert not roles.may(citizen, "administration.service.edit")
    assert not roles.may(citizen, "administration.application.read", team="standesamt")
    assert not roles.is_staff(citizen)
    assert not roles.may(AnonymousUser(), "administration.service.edit")


def test_an_inactive_person_may_nothing(teams: None) -> None:
    admin = User.objects.create_user("admin", is_active=False)
    roles.grant(admin, "admin")
    assert not roles.may(User.objects.get(pk=admin.pk), "administration.service.edit")


def test_revoking_takes_the_role_away(teams: None) -> None:
    clerk = User.objects.create_user("clerk")
    roles.grant(clerk, "clerk", team="standesamt")
    roles.grant(clerk, "clerk", team="standesamt")  # twice is once
    assert clerk.roles.count() == 1
    assert roles.revoke(clerk, "clerk", team="standesamt") == 1
    assert not roles.may(clerk, "administration.application.read", team="standesamt")


def test_team_roles_need_a_team_and_others_refuse_one(teams: None) -> None:
    person = User.objects.create_user("person")
    with pytest.raises(ValueError, match="needs a team"):
        roles.grant(person, "clerk")
    with pytest.raises(ValueError, match="not held for a team"):
        roles.grant(person, "admin", team="standesamt")
    with pytest.raises(ValueError, match="no team 'kasse'"):
        roles.grant(person, "clerk", team="kasse")
    with pytest.raises(ValueError, match="no role 'king'"):
        roles.grant(person, "king")


def test_an_undeclared_action_is_an_error_not_a_no() -> None:
    with pytest.raises(LookupError, match=r"administration\.aplication\.read"):
        roles.may(AnonymousUser(), "administration.aplication.read")


def test_every_declared_action_names_known_roles_and_is_documented() -> None:
    from pathlib import Path

    from smartcity.core import contract

    text = (Path(__file__).resolve().parents[2] / "docs" / "accounts.md").read_text()
    for name, action in contract.actions().items():
        assert set(action.roles) <= set(roles.BY_KEY), name
        assert f"`{name}`" in text, f"docs/accounts.md does not list the action {name}"
