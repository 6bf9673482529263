"""The catalogue's pages: the start page with the search, the life situations and every
service A to Z; a life situation; a service's whole description with "Online beantragen"
only where it is online; search by words, case- and umlaut-insensitive and bounded; and
hostile queries answered 400 with a message, never 500."""

from __future__ import annotations

import pytest
from django.test import Client

from smartcity.administration.demo import load_demo
from smartcity.administration.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    load_demo()


def _page(client: Client, path: str, status: int = 200) -> str:
    answer = client.get(path, headers={"Accept-Language": "de"})
    assert answer.status_code == status, (path, answer.status_code)
    return answer.content.decode()


def _found(client: Client, query: str) -> list[str]:
    answer = client.get("/service/", {"q": query})
    assert answer.status_code == 200
    found = answer.context["found"]
    return [service.key for service in found.services]


def test_the_start_page_lists_situations_and_all_services(client, demo):
    page = _page(client, "/service/")
    assert "Service und Anträge" in page and 'role="search"' in page
    assert 'href="/service/lebenslage/ein-kind-kommt-zur-welt/"' in page
    for key in ("kita-platz", "geburtsurkunde", "unterhaltsvorschuss"):
        assert f'href="/service/{key}/"' in page
    a_to_z = page[page.index('id="all-title"') :]
    assert (
        a_to_z.index(">Beistandschaft<")
        < a_to_z.index(">Elterngeld<")
        < a_to_z.index(">Kita-Platz<")
    )
    assert "Demo-Daten:" in page
    assert 'aria-current="page">Service</a>' in page  # the header's navigation


def test_a_life_situation_lists_its_services(client, demo):
    page = _page(client, "/service/lebenslage/ein-kind-kommt-zur-welt/")
    assert "<h1" in page and "Ein Kind kommt zur Welt" in page
    assert 'href="/service/kita-platz/"' in page and "/service/unterhaltsvorschuss/" not in page
    _page(client, "/service/lebenslage/gibt-es-nicht/", 404)


def test_a_service_page_has_the_whole_description(client, demo):
    page = _page(client, "/service/kita-platz/")
    for heading in ("Was ist das?", "Wer kann den Antrag stellen?", "Welche Unterlagen brauche",
                    "Was kostet das?", "Wie lange dauert es?", "Wie läuft es ab?",
                    "Wo und wann", "Öffnungszeiten", "Rechtsgrundlagen"):  # fmt: skip
        assert heading in page, heading
    assert 'href="https://www.gesetze-im-internet.de/sgb_8/__24.html"' in page
    assert 'href="/service/antrag/kita-platz/"' in page and "Online beantragen" in page
    assert "Theodor-Heuss-Platz 16" in page and 'href="tel:0238117-0"' in page


def test_online_beantragen_only_where_the_service_is_online(client, demo):
    Service.objects.filter(key="beistandschaft").update(online=False)
    page = _page(client, "/service/beistandschaft/")
    assert "Online beantragen" not in page and "/service/antrag/" not in page
    assert "Persönlich:" in page and "Familienrathaus Hamm" in page  # in person: always


def test_unpublished_and_unknown_services_are_not_found(client, demo):
    Service.objects.filter(key="elterngeld").update(published=False)
    _page(client, "/service/elterngeld/", 404)
    _page(client, "/service/gibt-es-nicht/", 404)
    assert "elterngeld" not in _found(client, "Elterngeld")
    assert "/service/elterngeld/" not in _page(client, "/service/")


def test_the_applying_part_is_not_taken_by_a_service_key(demo):
    """The catalogue's urlconf comes after applying's and paying's, and a service cannot
    be called like one of the parts of /service/."""
    from django.core.exceptions import ValidationError

    from smartcity.administration import urls

    assert urls.urlpatterns[-1].pattern.describe() == "''"
    service = Service.objects.get(key="kita-platz")
    for reserved in ("antrag", "zahlung", "lebenslage"):
        service.key = reserved
        with pytest.raises(ValidationError, match="Teil der Adresse"):
            service.full_clean()


@pytest.mark.parametrize("query, expected", [
    ("Kita", "kita-platz"), ("KITA", "kita-platz"), ("kindergarten", "kita-platz"),
    ("Kita-Platz", "kita-platz"), ("Platz Kita", "kita-platz"),
    ("pass", "kinderreisepass"), ("Unterhalt", "unterhaltsvorschuss"),
    ("Jugendämter", None), ("geburt urkunde", "geburtsurkunde"),
])  # fmt: skip
def test_search_by_words_of_name_summary_and_keywords(client, demo, query, expected):
    found = _found(client, query)
    assert (expected in found) if expected else found == []


def test_search_folds_umlauts_both_ways(client, demo):
    Service.objects.filter(key="beistandschaft").update(name="Beistandschaft")  # no save()
    service = Service.objects.get(key="beistandschaft")
    service.keywords += ", Frühe Hilfen, Straße"
    service.save()
    for query in ("Frühe Hilfen", "FRÜHE", "fruehe hilfen", "Fruhe", "strasse", "Straße"):
        assert "beistandschaft" in _found(client, query), query


def test_search_results_are_bounded_by_the_setting(client, demo, monkeypatch):
    monkeypatch.setenv("SMARTCITY_ADMINISTRATION_SEARCH_MAX_RESULTS", "2")
    answer = client.get("/service/", {"q": "e"})
    assert len(answer.context["found"].services) == 2 and answer.context["found"].more
    assert "Es werden nur die ersten 2 gezeigt" in answer.content.decode()


@pytest.mark.parametrize("query, message", [
    ("x" * 201, "zu lang"),
    ("%", "mindestens ein Wort"),
    ("%_%", "mindestens ein Wort"),
    ("kita\x00platz", "Steuerzeichen"),
    ("\x1b[31m", "Steuerzeichen"),
    (" ".join(["wort"] * 5 + [f"w{i}" for i in range(10)]), "höchstens 10 Wörtern"),
])  # fmt: skip
def test_hostile_queries_are_answered_400_with_a_message(client, demo, query, message):
    answer = client.get("/service/", {"q": query})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page and 'role="alert"' in page and 'aria-invalid="true"' in page
    assert 'href="/service/kita-platz/"' in page  # the rest of the page still helps


def test_a_query_of_many_kilobytes_is_a_400(client, demo):
    assert client.get("/service/?q=" + "%25" * 3000).status_code == 400


def test_an_empty_catalogue_says_so(client):
    assert "Noch sind keine Leistungen beschrieben." in _page(client, "/service/")


def test_the_portal_tile_links_to_the_catalogue(client):
    page = _page(client, "/")
    assert 'href="/service/"' in page
