"""Deleting an account that has no password (it logs in through the broker): a
confirmation within ACCOUNT_REAUTH_SECONDS of the login, else a new login at the broker
(``prompt=login``) first; against the real test provider."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from smartcity.core.audit import AuditEvent
from tests.core.accounts.oidc.conftest import http_client, oidc_login

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "audit"])


def _post(http: httpx.Client, url: str, data: dict[str, str]) -> httpx.Response:
    token = http.cookies.get("csrftoken")
    assert token, "no CSRF cookie"
    return http.post(url, data={"csrfmiddlewaretoken": token, **data})


def test_a_fresh_broker_login_deletes_with_a_confirmation(oidc):
    with http_client() as http:
        oidc_login(http, oidc)
        user = User.objects.get()
        page = http.get(oidc.base + "/konto/loeschen/")
        assert 'name="confirm"' in page.text and 'name="password"' not in page.text
        unconfirmed = _post(http, oidc.base + "/konto/loeschen/", {})
        assert unconfirmed.status_code == 400 and User.objects.filter(pk=user.pk).exists()
        done = _post(http, oidc.base + "/konto/loeschen/", {"confirm": "on"})
        assert done.status_code == 200 and "Ihr Konto ist gelöscht" in done.text
        assert not User.objects.filter(pk=user.pk).exists()
        assert AuditEvent.objects.filter(action="delete", object_id=str(user.pk)).exists()


def test_an_old_broker_login_must_log_in_again_at_the_broker(oidc):
    with http_client() as http:
        oidc_login(http, oidc)
        user = User.objects.get()
        User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=1))
        page = http.get(oidc.base + "/konto/loeschen/")
        assert "Erneut anmelden" in page.text and 'name="confirm"' not in page.text
        refused = _post(http, oidc.base + "/konto/loeschen/", {"confirm": "on"})
        assert refused.status_code == 400 and "erneut an" in refused.text
        assert User.objects.filter(pk=user.pk).exists()
        http.follow_redirects = False
        away = _post(http, oidc.base + "/konto/loeschen/erneut-anmelden/", {})
        assert away.status_code == 302
        start = urlsplit(away.headers["Location"])
        assert start.path == "/konto/oidc/anmelden/"
        assert parse_qs(start.query) == {"erneut": ["1"], "next": ["/konto/loeschen/"]}
        assert http.get(oidc.base + "/konto/").status_code == 302  # logged out here
        broker = http.get(oidc.base + away.headers["Location"])
        assert parse_qs(urlsplit(broker.headers["Location"]).query)["prompt"] == ["login"]
