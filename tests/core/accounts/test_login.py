"""Logging in and out through the platform's pages: the ``next`` stays on the site, a
login is locked out after failures (django-axes), staff pass a second factor before any
staff page (the back office included), wrong codes are slowed down."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcity.core import roles
from smartcity.core.accounts.login import factors
from smartcity.core.accounts.login.forms import safe_next
from smartcity.core.models import Team
from tests.core.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/konto/anmelden/"


@pytest.fixture
def citizen():
    user = User.objects.create_user("bürger@example.org", "bürger@example.org", PASSWORD)
    roles.grant(user, "citizen")
    return user


@pytest.fixture
def clerk():
    Team.objects.create(key="standesamt", name="Standesamt")
    user = User.objects.create_user("clerk@hamm.example", "clerk@hamm.example", PASSWORD)
    roles.grant(user, "clerk", "standesamt")
    return user


def _login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def totp_code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_the_login_page_is_german_and_has_the_oidc_slot(client):
    page = client.get(LOGIN).content.decode()
    assert '<h1 id="page-title">Anmelden</h1>' in page
    assert 'autocomplete="current-password"' in page and "csrfmiddlewaretoken" in page


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "http:/x",
        "javascript:x",
        "\\\\evil.example",
        "/ok\nLocation: x",
    ],
)
def test_a_next_off_the_site_is_dropped(client, citizen, target):
    assert safe_next(target) is None
    answer = _login(client, citizen.username, next=target)
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_a_next_on_the_site_is_followed(client, citizen):
    answer = _login(client, citizen.username, next="/umwelt/?x=1")
    assert answer["Location"] == "/umwelt/?x=1"


def test_a_login_locks_out_through_the_page(client, citizen):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        answer = _login(client, citizen.username, "falsch-falsch-falsch")
        assert answer.status_code == 200 and "stimmen nicht" in answer.content.decode()
    assert _login(client, citizen.username, "falsch-falsch-falsch").status_code == 429
    locked = _login(client, citizen.username)
    assert locked.status_code == 429 and "Retry-After" in locked
    assert "Anmeldung vorübergehend gesperrt" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, citizen):
    _login(client, citizen.username)
    assert client.get("/konto/abmelden/").status_code == 200
    assert "_auth_user_id" in client.session  # a GET (a link, a prefetch) does not log out
    answer = client.post("/konto/abmelden/")
    assert answer.status_code == 200 and "Sie sind abgemeldet" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(citizen)
    assert csrf.post("/konto/abmelden/").status_code == 403  # without the token


def test_staff_without_a_device_are_sent_to_enrolment(client, clerk):
    answer = _login(client, clerk.username, next="/admin/")
    assert answer["Location"] == "/konto/anmelden/bestaetigen/?next=%2Fadmin%2F"
    for path in ("/admin/", "/", "/umwelt/"):  # nothing but the factor's pages
        assert client.get(path)["Location"].startswith("/konto/anmelden/bestaetigen/")
    assert client.get("/api/v1/environment/stations").status_code == 403
    answer = client.get("/konto/anmelden/bestaetigen/?next=/admin/")
    assert answer["Location"] == "/konto/zwei-faktoren/?next=%2Fadmin%2F"
    page = client.get(answer["Location"]).content.decode()
    assert '<svg role="img" viewBox=' in page and "<title>QR-Code" in page
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert factors.secret_text(device).replace(" ", "") in page.replace(" ", "")

    wrong = client.post("/konto/zwei-faktoren/app/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400 and "stimmt nicht" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    shown = client.post("/konto/zwei-faktoren/app/", {"code": totp_code(device), "next": "/admin/"})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    page = shown.content.decode()
    assert page.count("<li><code>") == factors.RECOVERY_CODES
    assert client.get("/umwelt/").status_code == 200  # past the second factor


def test_staff_with_a_device_pass_the_code_and_wrong_codes_wait(client, clerk):
    device = TOTPDevice.objects.create(user=clerk, name="app", confirmed=True)
    _login(client, clerk.username)
    assert client.get("/konto/zwei-faktoren/")["Location"].startswith(
        "/konto/anmelden/bestaetigen/"
    )  # no second device before the first was used
    step = "/konto/anmelden/bestaetigen/"
    first = client.post(step, {"code": "123456", "next": "/admin/"})
    assert first.status_code == 429  # a wrong code starts a wait (1 s, then 2, 4, ...)
    assert "Zu viele falsche Codes" in first.content.decode()
    assert "Sekunden" in first.content.decode()
    too_fast = client.post(step, {"code": totp_code(device), "next": "/admin/"})
    assert too_fast.status_code == 429  # even the right code, while it waits
    device.refresh_from_db()
    device.throttle_reset()
    answer = client.post(step, {"code": totp_code(device), "next": "/admin/"})
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert client.get("/").status_code == 200  # a clerk has no back office (no staff flag)
    used = totp_code(device)
    again = Client()
    _login(again, clerk.username)
    assert again.post(step, {"code": used}).status_code in (400, 429)  # a code counts once


def test_a_recovery_code_logs_in_once(client, clerk):
    codes = factors.new_recovery_codes(clerk)
    _login(client, clerk.username)
    step = "/konto/anmelden/bestaetigen/"
    assert client.post(step, {"code": codes[0].upper()})["Location"] == "/"
    other = Client()
    _login(other, clerk.username)
    assert other.post(step, {"code": codes[0]}).status_code in (400, 429)


def test_the_back_office_needs_the_second_factor_for_superusers_too(client):
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith("/konto/anmelden/bestaetigen/")
    answer = Client().get("/admin/")
    assert answer["Location"] == "/admin/login/?next=/admin/"
    login = Client().get("/admin/login/?next=/admin/")
    assert login.status_code == 200 and "E-Mail-Adresse oder Benutzername" in login.content.decode()


def test_a_citizen_needs_no_second_factor(client, citizen):
    answer = _login(client, citizen.username, next="/umwelt/")
    assert answer["Location"] == "/umwelt/"
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302  # and no back office
