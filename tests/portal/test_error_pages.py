"""The error pages (400, 403, 404, 500) in the site's layout, German first; the favicon;
the footer's imprint and privacy links, there only when configured."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, on purpose")


def _refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _malformed(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("on purpose")


# the site's own URLs and three throwaway ones that fail (pytest.mark.urls below)
urlpatterns = [
    path("test-fehler/500", _fails),
    path("test-fehler/403", _refused),
    path("test-fehler/400", _malformed),
    path("", include("smartcity.urls")),
]


def _html(client: Client, url: str, status: int) -> str:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_the_404_page_is_german_and_in_the_layout(client: Client) -> None:
    html = _html(client, "/gibt-es-nicht/", 404)
    assert "Diese Seite gibt es nicht" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Resolver404" not in html


def test_a_404_of_a_page_says_its_own_reason(client: Client) -> None:
    html = _html(client, "/umwelt/messstellen/999999/", 404)
    assert "Diese Messstelle gibt es nicht." in html


def test_the_404_page_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = _html(client, "/gibt-es-nicht/", 404)
    assert "This page does not exist" in html


@pytest.mark.urls(__name__)
@override_settings(DEBUG=False)
def test_a_bug_renders_the_500_page_without_a_request_context() -> None:
    client = Client(raise_request_exception=False)
    html = _html(client, "/test-fehler/500", 500)
    assert "Hier ist etwas schiefgegangen" in html
    assert 'class="site-footer"' in html  # the layout, although no context was given
    assert "a bug, on purpose" not in html


@pytest.mark.urls(__name__)
@override_settings(DEBUG=False)
def test_refused_and_malformed_requests_get_their_pages(client: Client) -> None:
    assert "Kein Zugriff auf diese Seite" in _html(client, "/test-fehler/403", 403)
    assert "Diese Anfrage können wir nicht bearbeiten" in _html(client, "/test-fehler/400", 400)


def test_every_page_links_the_favicon(client: Client) -> None:
    html = _html(client, "/", 200)
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def test_no_imprint_or_privacy_link_without_the_settings(client: Client) -> None:
    html = _html(client, "/", 200)
    assert "Impressum" not in html and "Datenschutz" not in html


def test_the_footer_links_imprint_and_privacy_when_configured(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTCITY_IMPRINT_URL", "https://www.hamm.de/impressum")
    monkeypatch.setenv("SMARTCITY_PRIVACY_URL", "https://www.hamm.de/datenschutz")
    for url, status in (("/", 200), ("/gibt-es-nicht/", 404)):
        html = _html(client, url, status)
        assert '<a href="https://www.hamm.de/impressum">Impressum</a>' in html
        assert '<a href="https://www.hamm.de/datenschutz">Datenschutz</a>' in html
