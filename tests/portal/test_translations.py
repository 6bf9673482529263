"""The English catalogue: complete, compiled, and really used by the pages.

German is the source language; every msgid needs an English msgstr, and the dashboard
pages requested with ``Accept-Language: en`` must not fall back to German."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.sensors.factories import add_observations, make_thing_with_datastream

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXor%]")


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file as dicts with msgid, msgstr (plural forms joined by NUL)
    and flags; obsolete (#~) entries are left out."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def finish() -> None:
        if "msgid" in entry:
            strs = [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]
            entries.append({"msgid": entry["msgid"], "msgstr": "\0".join(strs),
                            "plural": "msgid_plural" in entry,
                            "context": entry.get("msgctxt"),
                            "flags": entry.get("flags", set())})
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
            field = None
        elif line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += _unquote(line)
        else:
            field, _, rest = line.partition(" ")
            if field == "msgid" and "msgid" in entry:
                finish()
            entry[field] = _unquote(rest)
    finish()
    return [e for e in entries if e["msgid"]]  # without the header


ENTRIES = read_po(CATALOGUE / "django.po")


def test_the_catalogue_is_the_one_django_loads():
    assert Path(settings.LOCALE_PATHS[0]) == CATALOGUE.parent.parent
    assert len(ENTRIES) > 200


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [e["msgid"] for e in ENTRIES if not all(e["msgstr"].split("\0"))]
    fuzzy = [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders():
    wrong = [
        (e["msgid"], e["msgstr"])
        for e in ENTRIES
        if "python-format" in e["flags"]
        and any(  # each plural form keeps them
            sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(form))
            for form in e["msgstr"].split("\x00")
        )
    ]
    assert wrong == []


def test_the_compiled_catalogue_is_up_to_date():
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    def compiled_of(e: dict) -> str:
        if e["context"] is None:
            return compiled.gettext(e["msgid"])
        return compiled.pgettext(e["context"], e["msgid"])

    stale = [e["msgid"] for e in ENTRIES if not e["plural"] and compiled_of(e) != e["msgstr"]]
    assert stale == []


# German words of the German pages that must not be left on the English ones
GERMAN = ["Umweltdaten", "Messstelle", "Neuester Wert", "Neueste Werte", "veraltet",
          "Zeitraum", "Stadtteil", "Einstufung", "Luftqualität", "Wassertemperatur",
          "Bodentemperatur", "mäßig", "Grenzwert", "Vergleichen", "Stundenmittel",
          "Barrierefreiheit", "Zum Inhalt springen"]


@pytest.fixture
def station():
    thing, stream = make_thing_with_datastream("Hauptbahnhof")
    add_observations(stream, [(timezone.now().isoformat(), 31.5)])
    return thing, stream


def _html(client: Client, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, path
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return html


@pytest.mark.django_db
def test_the_overview_in_english(client, station):
    german = _html(client, "/umwelt/", "de")
    english = _html(client, "/umwelt/", "en")
    for heading in ["Environmental data in Hamm", "Map of the monitoring stations",
                    "All monitoring stations", "Latest values of all monitoring stations"]:
        assert heading in english
    for word in ["Monitoring station", "District", "Parameter", "Latest value",
                 "Classification", "Last updated", "moderate", "very poor",
                 "Water temperature in the Lippe and the canal", "Soil temperature"]:
        assert word in english
    assert "31.5" in english  # English decimal point
    assert "Umweltdaten in Hamm" in german and "Neuester Wert" in german
    assert [word for word in GERMAN if word in english] == []


@pytest.mark.django_db
def test_the_station_page_in_english(client, station):
    thing, _ = station
    path = f"/umwelt/messstellen/{thing.pk}/"
    german = _html(client, path, "de")
    english = _html(client, path, "en")
    for heading in ["Environmental data", "Monitoring station in the district of Mitte",
                    "Air quality index (German Environment Agency, UBA)", "Latest values",
                    "Period", "24 hours", "Compare with", "no other monitoring station",
                    "EU limit values: annual report for this monitoring station"]:
        assert heading in english
    assert "moderate" in english  # PM10 31.5 µg/m³: UBA class 3
    assert "Zeitraum" in german and "Luftqualitätsindex" in german and "mäßig" in german
    assert [word for word in GERMAN if word in english] == []


@pytest.mark.django_db
def test_the_page_scripts_get_english_texts(client, station):
    english = _html(client, "/umwelt/", "en")
    for text in ['"stale": "out of date"', '"noData": "no data"', '"asOf": "Last updated:"',
                 '"labels": ["very good", "good", "moderate", "poor", "very poor"]']:
        assert text in english


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading"),
    [("/umwelt/wasser/", "Water temperature in the Lippe and the canal"),
     ("/umwelt/boden/", "Soil temperature")],
)
def test_the_kind_pages_in_english(client, station, path, heading):
    english = _html(client, path, "en")
    assert f'<h1 id="page-title">{heading}</h1>' in english
    assert "Monitoring stations" in english
    assert [word for word in GERMAN if word in english] == []


@pytest.mark.django_db
def test_the_limit_report_in_english(client, station):
    thing, _ = station
    year = timezone.localtime().year
    path = f"/umwelt/messstellen/{thing.pk}/grenzwerte/?jahr={year}"
    english = _html(client, path, "en")
    assert f"Limit value report for Hauptbahnhof {year}" in english
    for word in ["Calendar year", "Directive", "Averaging period", "Limit value",
                 "Exceedances", "Permitted", "Result"]:
        assert word in english
    assert [word for word in GERMAN if word in english] == []
    bad_year = client.get(path.replace(str(year), "1800"), headers={"Accept-Language": "en"})
    assert bad_year.status_code == 400
    assert "Please choose a year between 1990 and" in bad_year.content.decode()
