"""Mein Konto: the person's page, the download of what is stored about them, changing the
password and deleting the account (with the password, by POST with CSRF), each download
and deletion in the audit log without personal data; staff accounts are not deleted here."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from smartcity.core import roles
from smartcity.core.audit import AuditEvent
from smartcity.core.models import RoleGrant, Team
from tests.core.accounts.conftest import PASSWORD
from tests.staff import verified_login

pytestmark = pytest.mark.django_db(databases=["default", "audit"])


@pytest.fixture
def citizen() -> User:
    person = User.objects.create_user(
        "anna@example.org", "anna@example.org", PASSWORD, first_name="Anna"
    )
    roles.grant(person, "citizen")
    return person


@pytest.fixture
def signed_in(citizen: User) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


def test_the_page_needs_a_login_and_shows_the_persons_data(signed_in: Client) -> None:
    assert Client().get("/konto/")["Location"].startswith("/konto/anmelden/?next=/konto/")
    page = signed_in.get("/konto/")
    text = page.content.decode()
    assert page.status_code == 200 and "Mein Konto" in text
    assert "anna@example.org" in text and "Bürgerin oder Bürger" in text
    assert 'href="/konto/daten.json"' in text and 'href="/konto/loeschen/"' in text
    assert 'href="/konto/passwort-aendern/"' in text
    assert 'href="/konto/" aria-current="page"' in text  # the header's link, current


def test_the_header_links_mein_konto_only_when_signed_in(signed_in: Client) -> None:
    assert 'href="/konto/"' in signed_in.get("/").content.decode()
    assert 'href="/konto/"' not in Client().get("/").content.decode()


def test_the_download_holds_the_account_and_is_audited(signed_in: Client, citizen: User) -> None:
    answer = signed_in.get("/konto/daten.json")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert "attachment" in answer["Content-Disposition"]
    assert answer["Cache-Control"].startswith("private")
    data = json.loads(answer.content)
    assert data["format"] == "smartcity-personal-data/1"
    assert data["core"]["account"]["email"] == "anna@example.org"
    assert data["core"]["account"]["first_name"] == "Anna"
    assert data["core"]["roles"] == [{"role": "citizen", "team": None}]
    assert "password" not in json.dumps(data)
    assert "administration" in data  # every domain that stores personal data has its part
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.object_id) == (
        "export",
        "core.account",
        str(citizen.pk),
    )
    (stored,) = AuditEvent.objects.values()
    assert event.actor_name == "" and "anna" not in json.dumps(stored, default=str)


def test_a_wrong_password_deletes_nothing(signed_in: Client, citizen: User) -> None:
    page = signed_in.get("/konto/loeschen/")
    assert page.status_code == 200 and "Was die Stadt aufbewahren muss" in page.content.decode()
    answer = signed_in.post("/konto/loeschen/", {"password": "falsch"})
    assert answer.status_code == 400 and "Das Passwort stimmt nicht." in answer.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    assert signed_in.post("/konto/loeschen/", {}).status_code == 400
    assert not AuditEvent.objects.exists()


def test_deleting_the_account_with_the_password(signed_in: Client, citizen: User) -> None:
    pk = citizen.pk
    answer = signed_in.post("/konto/loeschen/", {"password": PASSWORD})
    assert answer.status_code == 200 and "Ihr Konto ist gelöscht" in answer.content.decode()
    assert not User.objects.filter(pk=pk).exists()
    assert not RoleGrant.objects.filter(user_id=pk).exists()
    assert signed_in.get("/konto/")["Location"].startswith("/konto/anmelden/")  # logged out
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.object_id, event.actor_id, event.actor_name) == (
        "delete",
        str(pk),
        pk,
        "",
    )


def test_deleting_needs_the_csrf_token(citizen: User) -> None:
    checking = Client(enforce_csrf_checks=True)
    checking.force_login(citizen)
    assert checking.post("/konto/loeschen/", {"password": PASSWORD}).status_code == 403
    assert checking.get("/konto/loeschen/").status_code == 200  # a GET deletes nothing
    assert User.objects.filter(pk=citizen.pk).exists()


def test_a_staff_account_is_not_deleted_here() -> None:
    Team.objects.create(key="standesamt", name="Standesamt")
    clerk = User.objects.create_user("clerk", "clerk@example.org", PASSWORD)
    roles.grant(clerk, "clerk", team="standesamt")
    client = verified_login(Client(), clerk)
    page = client.get("/konto/")
    assert "Dienstkonto" in page.content.decode() and 'href="/konto/zwei-faktoren/"' in (
        page.content.decode()
    )
    answer = client.post("/konto/loeschen/", {"password": PASSWORD})
    assert answer.status_code == 403 and User.objects.filter(pk=clerk.pk).exists()


def test_changing_the_password(signed_in: Client, citizen: User) -> None:
    assert signed_in.get("/konto/passwort-aendern/").status_code == 200
    new = "ein-ganz-neues-passwort-2027"
    wrong: Any = signed_in.post(
        "/konto/passwort-aendern/",
        {"old_password": "falsch", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 400
    short = signed_in.post(
        "/konto/passwort-aendern/",
        {"old_password": PASSWORD, "new_password1": "kurz", "new_password2": "kurz"},
    )
    assert short.status_code == 400
    done = signed_in.post(
        "/konto/passwort-aendern/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302 and done["Location"] == "/konto/?passwort=geaendert"
    citizen.refresh_from_db()
    assert citizen.check_password(new)
    assert "Ihr Passwort ist geändert." in signed_in.get(done["Location"]).content.decode()
