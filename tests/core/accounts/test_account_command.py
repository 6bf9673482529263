"""``smartcity account``: a staff account with a link to set its password, roles granted
and revoked (a team's role needs its team), and the list with roles and devices."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from smartcity import cli
from smartcity.core import roles
from smartcity.core.accounts.login import factors

pytestmark = pytest.mark.django_db


def test_create_a_clerk_grant_revoke_and_list(capsys):
    assert cli.main(["account", "team", "--key", "standesamt", "--name", "Standesamt"]) == 0
    args = ["account", "create-staff", "--email", "Clerk@Hamm.example", "--role", "clerk"]
    assert cli.main([*args, "--team", "standesamt"]) == 0
    out = capsys.readouterr().out
    user = User.objects.get(username="clerk@hamm.example")
    assert not user.has_usable_password() and roles.may is not None
    assert roles.held(user) == {"clerk": frozenset({"standesamt"})}
    link = next(line for line in out.splitlines() if "/konto/passwort-neu/" in line)
    form = Client().get(link.split("8000", 1)[1], follow=True)
    assert "Neues Passwort festlegen" in form.content.decode()

    assert (
        cli.main(["account", "grant", "--email", "clerk@hamm.example", "--role", "moderator"]) == 0
    )
    assert cli.main(["account", "grant", "--email", "clerk@hamm.example", "--role", "clerk"]) == 2
    assert "needs a team" in capsys.readouterr().err
    factors.new_recovery_codes(user)
    assert cli.main(["account", "list", "--staff"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1] == (
        "clerk@hamm.example\tyes\tclerk@standesamt, moderator\trecovery codes (10 left)"
    )
    revoke = ["account", "revoke", "--email", "clerk@hamm.example", "--role", "moderator"]
    assert cli.main(revoke) == 0
    assert cli.main(revoke) == 1  # nothing left to revoke
    assert cli.main(["account", "grant", "--email", "nobody@x.example", "--role", "admin"]) == 2
    assert cli.main([*args, "--team", "standesamt"]) == 2  # there already
