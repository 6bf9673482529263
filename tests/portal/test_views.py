"""The portal's public pages through Django's test client: German first, English on
request, and nothing loaded from another host."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from smartcity.core.contract import Figure, Figures
from smartcity.portal import views
from smartcity.portal.parts import platform_parts
from smartcity.sensors.figures import platform_figures
from smartcity.sensors.models import (
    Datastream,
    FeatureOfInterest,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)

pytestmark = pytest.mark.django_db

PAGES = ["/", "/barrierefreiheit/"]
# src/href/action attributes that point at another host: http://, https:// or //host
FOREIGN_URL = re.compile(r"""\b(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def get_html(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_home_is_german_by_default(client: Client) -> None:
    html = get_html(client, "/")
    assert '<html lang="de">' in html
    assert "<h1" in html and "Smart City Hamm" in html
    assert "Die sechs Bausteine der Plattform" in html
    assert "Zum Inhalt springen" in html
    for title in [
        "Urbane Datenplattform / Umwelt-Sensoren",
        "Mobilität",
        "Digitale Verwaltung / Familienrathaus",
        "Beteiligung",
        "Digitaler Zwilling",
        "Strategie &amp; Projekte / Open Data",
    ]:
        assert title in html


def test_home_links_the_data_platform_and_marks_the_rest_as_planned(client: Client) -> None:
    html = get_html(client, "/")
    assert '<a href="/umwelt/">Urbane Datenplattform / Umwelt-Sensoren</a>' in html
    planned = [part for part in platform_parts() if not part.available]
    assert html.count("in Vorbereitung") == len(planned) == 3
    assert '<a href="/mobilitaet/">Mobilität</a>' in html
    assert '<a href="/service/">Digitale Verwaltung / Familienrathaus</a>' in html


def test_home_has_landmarks_and_skip_link(client: Client) -> None:
    html = get_html(client, "/")
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert 'href="/barrierefreiheit/"' in html
    assert 'href="/admin/"' in html


def test_language_switch_is_a_csrf_protected_post(client: Client) -> None:
    html = get_html(client, "/")
    form = re.search(r'<form class="lang-switch" action="/i18n/setlang/" method="post">.*?</form>',
                     html, re.S)
    assert form, "language switch form missing"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'name="language" value="en"' in form.group(0)


def test_home_in_english_with_cookie(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get_html(client, "/")
    assert '<html lang="en">' in html
    assert "The six parts of the platform" in html
    assert "Skip to main content" in html
    assert "in preparation" in html
    assert "Die sechs Bausteine" not in html


def test_home_in_english_with_accept_language(client: Client) -> None:
    html = get_html(client, "/", accept_language="en-GB,en;q=0.9")
    assert '<html lang="en">' in html
    assert "Urban data platform / environmental sensors" in html


def test_set_language_switches_to_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "The six parts of the platform" in get_html(client, "/")
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "Die sechs Bausteine der Plattform" in get_html(client, "/")


def test_accessibility_statement(client: Client) -> None:
    html = get_html(client, "/barrierefreiheit/")
    assert "<h1" in html and "Erklärung zur Barrierefreiheit" in html
    assert "Stand der Vereinbarkeit mit den Anforderungen" in html
    assert "mailto:smartcity@stadt.hamm.de" in html
    assert "Durchsetzungsverfahren" in html and "Schlichtung" in html
    assert 'aria-current="page"' in html


def test_accessibility_statement_in_english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = get_html(client, "/barrierefreiheit/")
    assert "Accessibility statement" in html
    assert "Enforcement procedure" in html


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_nothing_is_loaded_from_another_host(client: Client, path: str, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = get_html(client, path)
    assert not FOREIGN_URL.findall(html), FOREIGN_URL.findall(html)
    assert "/static/css/smartcity.css" in html


def test_foreign_url_pattern_catches_absolute_urls() -> None:
    assert FOREIGN_URL.search('<script src="https://cdn.example/x.js">')
    assert FOREIGN_URL.search("<link href='//fonts.example/css'>")
    assert not FOREIGN_URL.search('<a href="/sta/v1.1/">')
    assert not FOREIGN_URL.search('<a href="mailto:smartcity@stadt.hamm.de">')


def test_figures_on_an_empty_platform(client: Client) -> None:
    assert platform_figures().items[2].value == 0
    html = get_html(client, "/")
    assert "Die Datenplattform in Zahlen" in html


def test_figures_count_things_datastreams_and_observations() -> None:
    thing = Thing.objects.create(name="Luftmessstation Hauptbahnhof")
    datastream = Datastream.objects.create(
        name="PM10",
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        unit_of_measurement={"name": "Mikrogramm je Kubikmeter", "symbol": "µg/m³"},
        thing=thing,
        sensor=Sensor.objects.create(name="SDS011", encoding_type="text/plain", metadata=""),
        observed_property=ObservedProperty.objects.create(name="PM10", definition="urn:pm10"),
    )
    feature = FeatureOfInterest.objects.create(
        name="Hauptbahnhof", encoding_type="application/geo+json",
        feature={"type": "Point", "coordinates": [7.8076, 51.6781]},
    )
    for value in (12.0, 14.5, 13.1):
        Observation.objects.create(
            phenomenon_time_start=datetime(2025, 3, 1, 12, tzinfo=UTC), result=value,
            result_number=value, datastream=datastream, feature_of_interest=feature,
        )
    things, datastreams, observations = (item.value for item in platform_figures().items)
    assert (things, datastreams) == (1, 1)
    assert observations >= 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "ca. 1.234.567"), ("en", "about 1,234,567")],
)
def test_figures_are_formatted_for_the_language(
    client: Client, monkeypatch: pytest.MonkeyPatch, language: str, expected: str
) -> None:
    figures = (Figure("Things", 12), Figure("Datastreams", 3456), Figure("Obs", 1234567, True))
    monkeypatch.setattr(views, "figure_sections", lambda: [Figures("Zahlen", figures)])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = get_html(client, "/")
    assert expected in html
    assert "3.456" in html if language == "de" else "3,456" in html
