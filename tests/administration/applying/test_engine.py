"""The form engine without HTTP: each field type rendered, parsed and validated, and
hostile input (wrong types, huge strings, unknown fields, NUL) refused with a message."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.administration.applying.engine import fields, parse, render, summary, validate
from tests.administration.applying.factories import STEP_VALUES, kita_form


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture
def form():
    return fields.load(kita_form())


def _parse(form, key, values, previous=None):
    return parse.step(form.step(key), values, previous or {})


def test_the_form_is_read_into_steps_and_kinds(form):
    assert [s.key for s in form.steps] == ["kind", "betreuung", "kontakt"]
    kinds = {f.name: f.kind for s in form.steps for f in s.fields}
    assert kinds == {
        "kind": "group",
        "geschwister": "list",
        "betreuung": "choice",
        "beginn": "date",
        "nachweis": "upload",
        "kontakt": "group",
        "einverstanden": "boolean",
    }
    assert form.field(("kontakt", "kinderzahl")).kind == "integer"
    assert form.field(("geschwister", 0)).kind == "text"
    assert form.reference == "KITA" and not form.cosign


@pytest.mark.parametrize(
    "broken, says",
    [
        ({"schema": {"type": "array"}}, "type object"),
        ({"steps": []}, "exactly one step"),
        ({"steps": [{"key": "a", "fields": ["kind", "kind"]}]}, "two steps"),
        ({"steps": [{"key": "1 x", "fields": []}]}, "key"),
        ({"reference": "kita-x"}, "prefix"),
    ],
)
def test_a_broken_form_is_refused_with_a_reason(broken, says):
    with pytest.raises(fields.FormError, match=says):
        fields.load(kita_form(**broken))


def test_a_schema_that_is_no_json_schema_is_refused():
    form = kita_form()
    form["schema"]["properties"]["beginn"]["minLength"] = "eins"
    with pytest.raises(fields.FormError, match="valid JSON Schema"):
        fields.load(form)


def test_values_are_typed(form):
    parsed = _parse(
        form,
        "kind",
        {
            **STEP_VALUES["kind"],
            "geschwister.__count": "2",
            "geschwister.0": " Ben ",
            "geschwister.1": "",
        },
    )
    assert parsed.errors == {}
    assert parsed.data == {
        "kind": {"vorname": "Mia", "geburtsdatum": "2024-02-01"},
        "geschwister": ["Ben"],
    }
    parsed = _parse(form, "kontakt", STEP_VALUES["kontakt"])
    assert parsed.data["kontakt"]["kinderzahl"] == 2 and parsed.data["einverstanden"] is True
    assert _parse(form, "kontakt", {}).data == {"einverstanden": False}


def test_a_choice_takes_only_its_options(form):
    assert _parse(form, "betreuung", {"betreuung": "35"}).data == {"betreuung": "35"}
    parsed = _parse(form, "betreuung", {"betreuung": "99"})
    assert "angebotenen" in parsed.errors["betreuung"] and "betreuung" not in parsed.data


@pytest.mark.parametrize(
    "values, name, says",
    [
        ({"kind.vorname": "Mia\x00"}, "kind.vorname", "unzulässiges Zeichen"),
        ({"kind.vorname": "x" * 100_000}, "kind.vorname", "höchstens 60 Zeichen"),
        ({"kind.geburtsdatum": "31.02.2024"}, "kind.geburtsdatum", "gültiges Datum"),
        ({"kind.geburtsdatum": "morgen"}, "kind.geburtsdatum", "gültiges Datum"),
    ],
)
def test_hostile_or_wrong_input_is_an_error_and_not_stored(form, values, name, says):
    parsed = _parse(form, "kind", values)
    assert says in parsed.errors[name]
    assert "\x00" not in str(parsed.data) and len(str(parsed.data)) < 1000


@pytest.mark.parametrize("raw", ["zwei", "1e400", "99999999999999999999", "2.5"])
def test_an_integer_must_be_one(form, raw):
    parsed = _parse(form, "kontakt", {"kontakt.kinderzahl": raw})
    assert "ganze Zahl" in parsed.errors["kontakt.kinderzahl"]


def test_unknown_fields_and_other_steps_fields_are_ignored(form):
    parsed = _parse(
        form,
        "kind",
        {
            **STEP_VALUES["kind"],
            "admin": "1",
            "betreuung": "35",
            "kind.extra": "x",
            "__proto__": "y",
        },
    )
    assert set(parsed.data) == {"kind"} and set(parsed.data["kind"]) == {"vorname", "geburtsdatum"}


def test_a_list_count_cannot_exceed_its_maximum(form):
    values = {"geschwister.__count": "999999", **{f"geschwister.{i}": "A" for i in range(10)}}
    assert len(_parse(form, "kind", values).data["geschwister"]) == 3  # maxItems


def test_adding_and_removing_list_entries(form):
    data = {"geschwister": ["Ben"]}
    assert parse.list_action(form, form.step("kind"), {"_add": "geschwister"}, data)
    assert data["geschwister"] == ["Ben", ""]
    assert parse.list_action(form, form.step("kind"), {"_remove": "geschwister.0"}, data)
    assert data["geschwister"] == [""]
    assert not parse.list_action(form, form.step("kind"), {"_add": "betreuung"}, data)


def test_validation_names_fields_in_plain_german(form):
    errors = validate.step(form, form.step("kind"), {})
    assert errors == {
        "kind.vorname": "Bitte geben Sie „Vorname“ an.",
        "kind.geburtsdatum": "Bitte geben Sie „Geburtsdatum“ an.",
    }
    errors = validate.step(
        form,
        form.step("kontakt"),
        {
            "kontakt": {"email": "keine-adresse", "telefon": "abc", "kinderzahl": 0},
            "einverstanden": False,
        },
    )
    assert list(errors) == [
        "kontakt.email",
        "kontakt.telefon",
        "kontakt.kinderzahl",
        "einverstanden",
    ]
    assert "name@beispiel.de" in errors["kontakt.email"]
    assert "Nur Ziffern" in errors["kontakt.telefon"]  # a pattern's error gives the hint
    assert "mindestens 1" in errors["kontakt.kinderzahl"]
    assert "bestätigen" in errors["einverstanden"]


def test_a_type_smuggled_into_the_data_is_caught(form):
    errors = validate.whole(form, {"kind": {"vorname": ["Mia"], "geburtsdatum": 5}})
    assert "Art von Angabe" in errors["kind.vorname"]
    assert "betreuung" in errors and "nachweis" in errors


def test_render_ties_labels_hints_and_errors_to_inputs(form):
    errors = {"kontakt.telefon": "Falsch <b>"}
    html = render.step(form.step("kontakt"), {"kontakt": {"telefon": '"><script>'}}, errors)
    assert '<label class="field__label" for="f-kontakt-telefon">' in html
    assert 'aria-describedby="f-kontakt-telefon-hint f-kontakt-telefon-error"' in html
    assert 'aria-invalid="true"' in html and "<fieldset" in html
    assert "<script>" not in html and "&lt;b&gt;" in html
    assert 'autocomplete="email"' in html
    summary_html = render.error_summary(errors)
    assert 'href="#f-kontakt-telefon"' in summary_html and 'role="alert"' in summary_html


def test_render_of_choices_uploads_and_lists(form):
    html = render.step(form.step("betreuung"), {"betreuung": "35"}, {})
    assert html.count('type="radio"') == 3 and 'value="35" checked' in html
    assert 'type="file"' in html and 'accept="application/pdf,image/jpeg,image/png"' in html
    assert "PDF, JPEG, PNG" in html
    many = kita_form()
    many["schema"]["properties"]["betreuung"]["oneOf"] += [
        {"const": str(h), "title": f"{h} Stunden"} for h in (10, 15, 20)
    ]
    html = render.step(fields.load(many).step("betreuung"), {}, {})
    assert "<select" in html and "Bitte wählen" in html
    html = render.step(form.step("kind"), {"geschwister": ["A", "B"]}, {})
    assert 'name="_add" value="geschwister"' in html and 'value="geschwister.1"' in html


def test_summary_shows_values_as_people_read_them(form):
    data = {
        "kind": {"vorname": "Mia", "geburtsdatum": "2024-02-01"},
        "betreuung": "35",
        "nachweis": "u1",
        "einverstanden": True,
    }
    rows = {r.label: r.value for s in summary.sections(form, data, {"u1": "a.pdf"}) for r in s.rows}
    assert rows["Ihr Kind: Geburtsdatum"] == "01.02.2024"
    assert rows["Betreuungsumfang"] == "35 Stunden" and rows["Arbeitgeberbescheinigung"] == "a.pdf"
    assert rows["Ich habe die Hinweise zum Datenschutz gelesen."] == "Ja"


@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "kind.vorname",
                "kind.geburtsdatum",
                "geschwister.__count",
                "geschwister.0",
                "geschwister.1",
                "kontakt.kinderzahl",
                "betreuung",
                "kontakt.email",
                "x",
            ]
        ),
        st.text(max_size=300),
    )
)
@settings(max_examples=300, deadline=None)
def test_any_input_parses_without_raising_and_stores_no_control_characters(values):
    form = fields.load(kita_form())
    with translation.override("de"):
        for form_step in form.steps:
            parsed = parse.step(form_step, values, {})
            assert not re.search(
                r"[\x00-\x08\x0b\x0c\x0e-\x1f]", json.dumps(parsed.data, ensure_ascii=False)
            )
            validate.step(form, form_step, parsed.data)  # never raises either
            render.step(form_step, parsed.data, parsed.errors)


def test_the_upload_hint_names_the_smaller_limit(form):
    assert "2,0 MB" in render.step(form.step("betreuung"), {}, {})  # the form's maxBytes
    assert "1,5 MB" in render.step(form.step("betreuung"), {}, {}, max_upload=1_500_000)
