"""Form pieces the back offices of all domains share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from smartcity.core.timeutil import TimeFormatError, parse_instant


class BlankNullJSONField(forms.JSONField):
    """A JSON field that shows an empty box, not the literal ``null``, for a missing value
    (an empty box is saved as None again)."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


# for a ModelAdmin's formfield_overrides: every JSONField (and subclass) of its model
JSON_WITHOUT_NULL: dict[type[models.Field], dict[str, Any]] = {
    models.JSONField: {"form_class": BlankNullJSONField}
}


class UtcDateTimeField(forms.Field):
    """A stored time as ISO 8601 in UTC (``2026-12-02T06:00:00Z``), to the microsecond:
    every time the store holds, also the last hours of the year 9999, which have no local
    time in Hamm, and a save without a change keeps it exactly. Entered with ``Z`` or an
    offset; without one, as local time (core.timeutil)."""

    widget = forms.TextInput

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            text = value.astimezone(UTC).replace(tzinfo=None).isoformat()
            return text + "Z"
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            return parse_instant(str(value).strip())
        except TimeFormatError as error:
            raise ValidationError(str(error), code="invalid") from error

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


# for a ModelAdmin's formfield_overrides: times in UTC text, not the admin's local widgets
TIMES_IN_UTC: dict[type[models.Field], dict[str, Any]] = {
    models.DateTimeField: {"form_class": UtcDateTimeField, "widget": forms.TextInput}
}
