"""The Familienrathaus demo: six services with their teams, life situations and forms that
are valid JSON Schema and follow the form format's rules; loading twice adds nothing."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from smartcity.administration.catalogue import form_format
from smartcity.administration.demo import load_demo
from smartcity.administration.models import LifeSituation, Service
from smartcity.core.models import Team

pytestmark = pytest.mark.django_db
KEYS = {"kita-platz", "geburtsurkunde", "kinderreisepass", "elterngeld", "beistandschaft",
        "unterhaltsvorschuss"}  # fmt: skip


@pytest.fixture
def demo() -> dict[str, int]:
    return load_demo()


def test_the_demo_brings_six_services_of_four_teams(demo):
    assert demo == {"teams": 4, "services": 6, "life situations": 4, "fee schedules": 1,
                    "notice templates": 3}
    assert set(Service.objects.values_list("key", flat=True)) == KEYS
    assert set(Team.objects.values_list("name", flat=True)) == {
        "Standesamt",
        "Elterngeldstelle",
        "Familienbüro",
        "Frühe Hilfen / Jugendamt",
    }
    assert all(s.is_demo and s.office and s.office.is_demo for s in Service.objects.all())
    assert Service.objects.get(key="geburtsurkunde").team.key == "standesamt"


def test_loading_again_adds_nothing_and_keeps_what_the_city_took_over(demo):
    Service.objects.filter(key="elterngeld").update(is_demo=False, summary="Unser Text")
    assert load_demo() == {"teams": 0, "services": 0, "life situations": 0, "fee schedules": 0,
                           "notice templates": 0}
    assert Service.objects.count() == 6 and LifeSituation.objects.count() == 4
    assert Service.objects.get(key="elterngeld").summary == "Unser Text"
    assert Service.objects.get(key="kita-platz").legal_bases.count() == 2


@pytest.mark.parametrize("key", sorted(KEYS))
def test_every_demo_form_is_valid_json_schema_and_follows_the_format(demo, key):
    form = Service.objects.get(key=key).form
    Draft202012Validator.check_schema(form["schema"])
    assert form_format.problems(form) == []
    placed = [name for step in form["steps"] for name in step["fields"]]
    assert sorted(placed) == sorted(form["schema"]["properties"])  # each on exactly one step


def test_the_kita_form_has_three_steps_and_one_upload(demo):
    form = Service.objects.get(key="kita-platz").form
    assert len(form["steps"]) == 3
    uploads = [name for name, field in form["schema"]["properties"].items() if "x-upload" in field]
    assert uploads == ["nachweis"]


def test_a_demo_application_validates_and_a_wrong_one_does_not(demo):
    schema = Service.objects.get(key="geburtsurkunde").form["schema"]
    person = {"vorname": "Mia", "familienname": "Schulte", "geburtsdatum": "2025-03-01",
              "geburtsort": "Hamm"}  # fmt: skip
    good = {"person": person, "beziehung": "eltern", "zweck": "elterngeld", "anzahl": 2,
            "email": "mia@example.org",
            "versand": {"strasse": "Ostenallee 1", "plz": "59063", "ort": "Hamm"}}  # fmt: skip
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({**good, "anzahl": 11}))  # at most ten copies
    assert list(validator.iter_errors({**good, "zweck": "irgendwas"}))  # not a choice


def test_the_situations_group_the_services(demo):
    birth = LifeSituation.objects.get(key="ein-kind-kommt-zur-welt")
    assert birth.name == "Ein Kind kommt zur Welt"
    assert "kita-platz" in set(birth.services.values_list("key", flat=True))


@pytest.mark.parametrize("broken, problem", [
    ({"version": 1, "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
      "steps": [{"key": "s", "title": "S", "fields": []}]}, "/schema/properties/a is on no step"),
    ({"version": 1, "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
      "steps": [{"key": "s", "title": "S", "fields": ["a"]},
                {"key": "t", "title": "T", "fields": ["a"]}]}, "'a' is on step 0 too"),
    ({"version": 1, "schema": {"type": "object", "properties": {"a": {"type": 5}}},
      "steps": [{"key": "s", "title": "S", "fields": ["a"]}]}, "/schema/properties/a/type"),
    ({"version": 2, "schema": {"type": "array"}, "steps": []}, "/version must be 1"),
])  # fmt: skip
def test_the_format_check_names_what_is_wrong(broken, problem):
    assert any(problem in found for found in form_format.problems(broken))
