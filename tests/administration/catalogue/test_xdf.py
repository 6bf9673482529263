"""FIM xDatenfelder 3 into the form format: every mapping rule on the sample schema
(tests/fixtures/xdf, written for these tests), errors that name the element, XML that is
refused (DTD, entities, wrong namespace), and `smartcity service import-xdf`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from smartcity import cli
from smartcity.administration.catalogue import form_format
from smartcity.administration.catalogue.xdf import codelists, mapping, reader
from smartcity.administration.catalogue.xdf.reader import NS, XdfError
from smartcity.administration.models import Service

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xdf"
SAMPLE = FIXTURES / "kita-platz.xdf3.xml"
CODES = FIXTURES / "betreuungsart.gc.xml"


@pytest.fixture(scope="module")
def imported() -> tuple[dict, list[str]]:
    lists = [codelists.read(CODES.read_bytes(), str(CODES))]
    return mapping.to_form(reader.read(SAMPLE.read_bytes()), lists)


@pytest.fixture(scope="module")
def props(imported) -> dict:
    return imported[0]["schema"]["properties"]


def test_the_form_is_valid_json_schema_and_follows_the_format(imported):
    form, _ = imported
    Draft202012Validator.check_schema(form["schema"])
    assert form_format.problems(form) == []
    assert form["schema"]["title"] == "Kita-Platz beantragen"  # the schema's bezeichnung


def test_one_step_per_top_level_group_and_loose_fields_together(imported):
    steps = imported[0]["steps"]
    assert [(s["key"], s["title"]) for s in steps] == [
        ("kind", "Ihr Kind"),
        ("betreuungswunsch", "Betreuung"),
        ("sorgeberechtigte_person", "Sorgeberechtigte Person"),
        ("angaben-4", "Weitere Angaben"),
    ]
    assert steps[-1]["fields"] == ["einverstaendnis_datenverarbeitung"]


def test_text_lengths_pattern_anchored_and_help(props):
    child = props["kind"]["items"]["properties"]
    assert child["vorname"] | {"x-fim": None} == {
        "title": "Vorname",
        "type": "string",
        "minLength": 1,
        "maxLength": 60,
        "x-fim": None,
    }
    assert child["vorname"]["x-fim"] == {
        "id": "F60000000227",
        "version": "1.0.0",
        "datentyp": "text",
    }
    assert child["geburtsdatum"]["format"] == "date"
    assert child["geburtsdatum"]["description"].startswith("Geben Sie das Datum an")
    street = props["sorgeberechtigte_person"]["properties"]["anschrift_inland"]["properties"][
        "anschrift_inland_strassenanschrift"
    ]["properties"]
    assert street["postleitzahl"]["pattern"] == "^(?:[0-9]{5})$"
    assert street["strasse"]["maxLength"] == 55  # Straße folded to a name


def test_an_xsd_pattern_matches_the_whole_value(props):
    phone = props["sorgeberechtigte_person"]["properties"]["telefon"]["items"]
    check = Draft202012Validator(phone)
    assert check.is_valid("+49 2381 170") and not check.is_valid("call +49 2381 170 now")


def test_numbers_booleans_and_currency(props):
    care = props["betreuungswunsch"]["properties"]
    parent = props["sorgeberechtigte_person"]["properties"]
    assert care["anzahl_geschwister_in_der_kita"] | {"x-fim": None, "title": None} == {
        "type": "integer", "minimum": 0, "maximum": 9, "default": 0, "x-fim": None,
        "title": None}  # fmt: skip
    assert parent["jahreseinkommen"]["type"] == "number"
    assert parent["jahreseinkommen"]["multipleOf"] == 0.01
    assert parent["berufstaetig"]["type"] == "boolean"


def test_value_lists_and_code_lists_become_choices(props):
    care = props["betreuungswunsch"]["properties"]
    assert care["betreuungsumfang"]["oneOf"][0] == {"const": "25", "title": "25 Stunden pro Woche"}
    assert [o["const"] for o in care["betreuungsart"]["oneOf"]] == ["kita", "tagespflege"]
    assert care["betreuungsart"]["oneOf"][1]["title"].startswith("Kindertagespflege")


def test_a_file_is_an_upload_with_its_media_types_and_size(props):
    upload = props["sorgeberechtigte_person"]["properties"]["arbeitgeberbescheinigung"]
    assert upload["x-upload"] == {"accept": ["application/pdf", "image/jpeg"],
                                  "maxBytes": 5000000}  # fmt: skip


def test_groups_are_objects_with_required_from_the_cardinality(props):
    care = props["betreuungswunsch"]
    assert care["type"] == "object"
    assert care["required"] == ["betreuungsumfang", "betreuungsart", "betreuungsbeginn"]
    street = props["sorgeberechtigte_person"]["properties"]["anschrift_inland"]["properties"][
        "anschrift_inland_strassenanschrift"
    ]
    assert street["required"] == ["strasse", "postleitzahl", "wohnort"]  # 0:1 Hausnummer not


def test_cardinalities_become_arrays_with_min_and_max_items(props):
    assert props["kind"]["type"] == "array" and props["kind"]["minItems"] == 1  # 1:n
    assert "maxItems" not in props["kind"]
    wish = props["betreuungswunsch"]["properties"]["wunsch_kita"]  # 0:3
    assert wish["maxItems"] == 3 and "minItems" not in wish
    assert wish["items"]["maxLength"] == 100
    phone = props["sorgeberechtigte_person"]["properties"]["telefon"]  # 0:*
    assert phone["type"] == "array" and "maxItems" not in phone


def test_a_choice_group_allows_exactly_one_of_its_children(props):
    address = props["sorgeberechtigte_person"]["properties"]["anschrift_inland"]
    assert address["minProperties"] == 1 and address["maxProperties"] == 1
    assert address["required"] == []
    check = Draft202012Validator(address)
    street = {"strasse": "Ostenallee", "postleitzahl": "59063", "wohnort": "Hamm"}
    box = {"postfach": "1234", "postleitzahl": "59063", "wohnort": "Hamm"}
    assert check.is_valid({"anschrift_inland_strassenanschrift": street})
    assert not check.is_valid({"anschrift_inland_strassenanschrift": street,
                               "anschrift_inland_postfachanschrift": box})  # fmt: skip


def test_locked_fields_are_read_only_with_their_content(props):
    street = props["sorgeberechtigte_person"]["properties"]["anschrift_inland"]["properties"][
        "anschrift_inland_strassenanschrift"
    ]["properties"]
    assert street["wohnort"]["readOnly"] is True and street["wohnort"]["default"] == "Hamm"


def test_labels_are_left_out_with_a_note(imported, props):
    notes = imported[1]
    assert "hinweis_betreuung" not in props["betreuungswunsch"]["properties"]
    assert any("F00000100005" in note and "label" in note for note in notes)


def test_a_complete_application_validates(imported):
    data = {
        "kind": [{"vorname": "Mia", "familienname": "Schulte", "geburtsdatum": "2024-05-01"}],
        "betreuungswunsch": {"betreuungsumfang": "35", "betreuungsart": "kita",
                             "betreuungsbeginn": "2025-08-01", "wunsch_kita": ["Kita Regenbogen"]},
        "sorgeberechtigte_person": {
            "vorname": "Anna", "familienname": "Schulte",
            "anschrift_inland": {"anschrift_inland_postfachanschrift": {
                "postfach": "1234", "postleitzahl": "59063", "wohnort": "Hamm"}},
            "telefon": ["02381 12345"], "jahreseinkommen": 41000.5},
        "einverstaendnis_datenverarbeitung": True,
    }  # fmt: skip
    check = Draft202012Validator(imported[0]["schema"])
    assert list(check.iter_errors(data)) == []
    assert not check.is_valid({**data, "kind": []})  # 1:n: at least one child
    data["betreuungswunsch"]["wunsch_kita"] = ["A", "B", "C", "D"]  # 0:3
    assert not check.is_valid(data)


def _schema(structures: str, root: str = "xdatenfelder.stammdatenschema.0102") -> bytes:
    return (f'<xdf:{root} xmlns:xdf="{NS}"><xdf:stammdatenschema><xdf:identifikation>'
            f"<xdf:id>S1</xdf:id></xdf:identifikation><xdf:name>Test</xdf:name>{structures}"
            f"</xdf:stammdatenschema></xdf:{root}>").encode()  # fmt: skip


def _field(feldart: str = "input", datentyp: str = "text", extra: str = "", anzahl: str = "1:1"):
    return (f"<xdf:struktur><xdf:anzahl>{anzahl}</xdf:anzahl><xdf:enthaelt><xdf:datenfeld>"
            "<xdf:identifikation><xdf:id>F1</xdf:id></xdf:identifikation><xdf:name>Feld</xdf:name>"
            f"<xdf:feldart><code>{feldart}</code></xdf:feldart><xdf:datentyp><code>{datentyp}"
            f"</code></xdf:datentyp>{extra}</xdf:datenfeld>"
            "</xdf:enthaelt></xdf:struktur>")  # fmt: skip


def _error(data: bytes) -> str:
    with pytest.raises(XdfError) as caught:
        mapping.to_form(reader.read(data))
    return str(caught.value)


@pytest.mark.parametrize("data, message", [
    (_schema(_field(datentyp="colour")), "datenfeld F1: unknown datentyp 'colour'"),
    (_schema(_field(feldart="slider")), "datenfeld F1: unknown feldart 'slider'"),
    (_schema(_field(feldart="select")), "datenfeld F1: a select field needs <werte>"),
    (_schema(_field(anzahl="2:1")), "struktur[1]: <anzahl> '2:1'"),
    (_schema(_field(anzahl="viele")), "struktur[1]: <anzahl> 'viele' is not a cardinality"),
    (_schema(_field(extra='<xdf:praezisierung maxLength="lang"/>')), "maxLength='lang'"),
    (_schema(_field(extra='<xdf:praezisierung minLength="-1"/>')), "must not be negative"),
    (_schema(_field(datentyp="bool", extra="<xdf:inhalt>vielleicht</xdf:inhalt>")),
     "<inhalt> 'vielleicht' is not a truth value"),
    (_schema(_field(feldart="label")), "stammdatenschema S1: the schema holds no field"),
    (_schema("<xdf:struktur><xdf:anzahl>1:1</xdf:anzahl></xdf:struktur>"),
     "stammdatenschema S1 / struktur[1]: <enthaelt> is missing"),
    (_schema("", root="xdatenfelder.irgendwas.0001"), "expected one of"),
    (b'<x:xdatenfelder.stammdatenschema.0102 xmlns:x="urn:xoev-de:fim:standard:xdatenfelder_2"/>',
     "not in the xDatenfelder 3.0 namespace"),
    (b"<unclosed>", "not well-formed XML"),
])  # fmt: skip
def test_errors_name_the_element(data, message):
    assert message in _error(data)


def test_a_doctype_and_entities_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;&lol;">]>' + _schema(_field())[:-1] + b"&lol2;>")  # fmt: skip
    assert "refused" in _error(bomb)
    external = b'<!DOCTYPE x SYSTEM "file:///etc/passwd">' + _schema(_field())
    assert "refused" in _error(external)


def test_groups_nested_too_deep_are_refused():
    inner = _field()
    for depth in range(reader.MAX_DEPTH + 2):
        inner = (f"<xdf:struktur><xdf:anzahl>1:1</xdf:anzahl><xdf:enthaelt><xdf:datenfeldgruppe>"
                 f"<xdf:identifikation><xdf:id>G{depth}</xdf:id></xdf:identifikation>"
                 f"<xdf:name>G</xdf:name>{inner}</xdf:datenfeldgruppe>"
                 "</xdf:enthaelt></xdf:struktur>")  # fmt: skip
    assert f"nested more than {reader.MAX_DEPTH} deep" in _error(_schema(inner))


def test_names_are_made_unique_in_their_object():
    form, _ = mapping.to_form(reader.read(_schema(_field() + _field(datentyp="date"))))
    assert list(form["schema"]["properties"]) == ["feld", "feld_2"]


def test_a_missing_code_list_is_named():
    ref = ("<xdf:codelisteReferenz><xdf:canonicalIdentification>urn:x:liste"
           "</xdf:canonicalIdentification></xdf:codelisteReferenz>")  # fmt: skip
    assert "code list urn:x:liste is not given" in _error(_schema(_field("select", extra=ref)))


def test_the_command_prints_the_form(capsys):
    assert cli.main(["service", "import-xdf", "--file", str(SAMPLE),
                     "--codelist", str(CODES)]) == 0  # fmt: skip
    out = capsys.readouterr()
    assert json.loads(out.out)["steps"][0]["key"] == "kind"
    assert "note:" in out.err and "F00000100005" in out.err


@pytest.mark.django_db
def test_the_command_stores_the_form_on_a_service(capsys):
    argv = ["service", "import-xdf", "--file", str(SAMPLE), "--codelist", str(CODES),
            "--service", "kita-neu"]  # fmt: skip
    assert cli.main(argv) == 0
    created = Service.objects.get(key="kita-neu")
    assert created.name == "Kita-Platz beantragen" and not created.published
    assert len(created.form["steps"]) == 4
    assert "created (unpublished" in capsys.readouterr().out
    Service.objects.filter(pk=created.pk).update(name="Kita-Platz", published=True)
    assert cli.main(argv) == 0
    again = Service.objects.get(key="kita-neu")
    assert again.name == "Kita-Platz" and again.published and "updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_fails_with_the_element_and_a_bad_key(tmp_path, capsys, monkeypatch):
    assert cli.main(["service", "import-xdf", "--file", str(SAMPLE)]) == 1
    assert "datenfeld F00000100002: the code list" in capsys.readouterr().err
    argv = ["service", "import-xdf", "--file", str(SAMPLE), "--codelist", str(CODES)]
    assert cli.main([*argv, "--service", "antrag"]) == 1
    assert "Teil der Adresse" in capsys.readouterr().err
    monkeypatch.setenv("SMARTCITY_ADMINISTRATION_XDF_MAX_BYTES", "1024")
    assert cli.main(argv) == 1
    assert "SMARTCITY_ADMINISTRATION_XDF_MAX_BYTES" in capsys.readouterr().err
    assert cli.main(["service", "import-xdf", "--file", str(tmp_path / "fehlt.xml")]) == 1
