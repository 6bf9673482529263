"""Failed logins lock a login out (core.logins with django-axes), through the real back
office login: after SMARTCITY_LOGIN_FAILURE_LIMIT failures even the right password is
refused with a German 429 page until the cool-off has passed; another user, and by
default the same user from another address, are not affected; a forged X-Forwarded-For
does not help; every failure is logged without the password."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from smartcity import cli
from smartcity.core import config, logins

PASSWORD = "richtig-und-lang-genug-2026"
WRONG = "falsch-aber-geheim-4711"
LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    """A cheap hasher: these tests log in dozens of times (the hasher is not under test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    make = get_user_model().objects.create_user
    return (
        make("amtsleitung", password=PASSWORD, is_staff=True),
        make("kollegin", password=PASSWORD, is_staff=True),
    )


def _login(username: str, password: str, ip: str = "127.0.0.1", **headers: str):
    client = Client(REMOTE_ADDR=ip, headers=headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return response, client


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _fail_until_locked(username: str = "amtsleitung", ip: str = "127.0.0.1") -> list:
    return [_login(username, WRONG, ip)[0] for _ in range(settings.AXES_FAILURE_LIMIT)]


def test_the_limits_come_from_the_platforms_settings():
    assert settings.AXES_FAILURE_LIMIT == config.get("LOGIN_FAILURE_LIMIT") == 5
    cool_off = timedelta(minutes=config.get("LOGIN_LOCKOUT_MINUTES"))
    assert cool_off == settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_failures_lock_the_login_and_the_right_password_is_refused(users):
    answers = _fail_until_locked()
    assert [a.status_code for a in answers[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1].status_code == 429  # the failure that reaches the limit locks
    response, client = _login("amtsleitung", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in page
    assert '<a class="skip-link"' in page  # the site's layout, not a bare message
    retry = int(response["Retry-After"])
    assert 14 * 60 < retry <= 15 * 60 + 1
    latest = timezone.localtime(timezone.now() + timedelta(seconds=retry))  # the lock's end,
    ends = [latest - timedelta(seconds=s) for s in range(4)]  # or a little before it
    assert any(f"ab {t:%H:%M} Uhr am {t:%d.%m.%Y} wieder." in page for t in ends)
    assert "Traceback" not in page


def test_another_user_and_the_same_user_elsewhere_are_not_affected(users):
    _fail_until_locked()
    response, client = _login("kollegin", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)
    response, client = _login("amtsleitung", PASSWORD, ip="10.20.30.40")
    assert response.status_code == 302 and _logged_in(client)


def test_a_forged_forwarded_for_header_does_not_open_the_lock(users):
    _fail_until_locked()
    response, client = _login("amtsleitung", PASSWORD, **{"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 429 and not _logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_lock_opens_after_the_cool_off(users):
    _fail_until_locked()
    assert _login("amtsleitung", PASSWORD)[0].status_code == 429
    # the cool-off counts from the last failed attempt: let it lie that long in the past
    passed = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - passed
        )
    response, client = _login("amtsleitung", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_a_success_before_the_limit_forgets_the_failures(users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login("amtsleitung", WRONG)
    assert _login("amtsleitung", PASSWORD)[0].status_code == 302
    assert _login("amtsleitung", WRONG)[0].status_code == 200  # counting starts again


def test_failures_are_logged_with_user_name_and_address_never_the_password(users, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, axes' own too
    _fail_until_locked(ip="192.0.2.7")
    _login("amtsleitung", PASSWORD, ip="192.0.2.7")
    ours = [r.getMessage() for r in caplog.records if r.name == "smartcity.logins"]
    failed = [m for m in ours if m.startswith("login failed:")]
    assert len(failed) == settings.AXES_FAILURE_LIMIT + 1  # the refused right one too
    assert failed[0] == "login failed: username='amtsleitung' ip=192.0.2.7 path=/admin/login/"
    assert any(
        m.startswith("login locked out: username='amtsleitung' ip=192.0.2.7 until=") for m in ours
    )
    everything = caplog.text + "".join(repr(r.args) for r in caplog.records)
    assert WRONG not in everything and PASSWORD not in everything


def test_a_user_name_cannot_forge_a_log_line(users, caplog):
    caplog.set_level(logging.WARNING, logger="smartcity.logins")
    _login("x\nlogin failed: username='admin' ip=1.2.3.4", WRONG)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "smartcity.logins"]
    assert "\n" not in line


@pytest.mark.parametrize(
    ("by", "other_user_locked", "other_address_locked"),
    [("username+ip", False, False), ("username", False, True), ("ip", True, False)],
)
def test_what_the_lock_keys_on(users, by, other_user_locked, other_address_locked):
    with override_settings(AXES_LOCKOUT_PARAMETERS=logins.LOCKOUT_PARAMETERS[by]):
        _fail_until_locked()
        assert (_login("kollegin", PASSWORD)[0].status_code == 429) is other_user_locked
        elsewhere = _login("amtsleitung", PASSWORD, ip="10.20.30.40")[0]
        assert (elsewhere.status_code == 429) is other_address_locked


def test_a_lock_on_a_json_path_answers_json():
    request = RequestFactory().post("/api/v1/login")
    response = logins.locked_out(request)
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert "Retry-After" in response


def test_the_operator_lists_and_unlocks_with_smartcity_lockouts(users, capsys):
    _fail_until_locked()
    assert cli.main(["lockouts", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[1].startswith(f"amtsleitung\t127.0.0.1\t{settings.AXES_FAILURE_LIMIT}\t")
    assert "locked until" in listing[1]
    assert cli.main(["lockouts", "reset"]) == 2  # says what it needs instead of resetting all
    assert cli.main(["lockouts", "reset", "--username", "amtsleitung", "--ip", "127.0.0.1"]) == 0
    assert "reset 1 record(s)" in capsys.readouterr().out
    response, client = _login("amtsleitung", PASSWORD)
    assert response.status_code == 302 and _logged_in(client)


def test_the_lock_page_in_english(users):
    _fail_until_locked()
    response, _ = _login("amtsleitung", PASSWORD, **{"Accept-Language": "en"})
    page = response.content.decode()
    assert response.status_code == 429 and '<html lang="en">' in page
    assert "Sign-in temporarily locked" in page and "Please try again from " in page
