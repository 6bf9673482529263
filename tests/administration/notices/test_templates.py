"""The placeholder language: only the listed fields, checked when a template is saved
through the model's validation (the admin's form runs it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from smartcity.administration.models import NoticeTemplate
from smartcity.administration.notices import templates

pytestmark = pytest.mark.django_db


def _template(service, **fields):
    values = {"service": service, "kind": NoticeTemplate.GRANTED, "title": "Bescheid",
              "body": "Guten Tag $name", **fields}  # fmt: skip
    return NoticeTemplate(**values)


def test_known_fields_pass_and_are_filled(service):
    _template(service, body="Am $datum zu ${aktenzeichen}: $entscheidung, $$5").full_clean()
    filled = templates.fill("$name zahlt $gebuehr ($$)", {"name": "Anna", "gebuehr": "12,00 €"})
    assert filled == "Anna zahlt 12,00 € ($)"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "Hallo $passwort", "$passwort"),
        ("title", "Bescheid ${application}", "$application"),
        ("remedy", "Klage bis $frist", "$frist"),
        ("body", "Kosten: 5 $", "$$"),
        ("body", "${name.__class__}", "$$"),  # no attribute access: not even a placeholder
    ],
)
def test_unknown_placeholders_are_refused(service, field, text, message):
    with pytest.raises(ValidationError) as refused:
        _template(service, **{field: text}).full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_a_too_long_text_is_refused(service, monkeypatch):
    monkeypatch.setenv("SMARTCITY_NOTICE_TEMPLATE_MAX_CHARS", "20")
    with pytest.raises(ValidationError, match="zu lang"):
        _template(service, body="x" * 21).full_clean()
