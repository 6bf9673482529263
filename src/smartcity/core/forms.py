"""Form pieces the back offices of all domains share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models


class BlankNullJSONField(forms.JSONField):
    """A JSON field that shows an empty box, not the literal ``null``, for a missing value
    (an empty box is saved as None again)."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


# for a ModelAdmin's formfield_overrides: every JSONField (and subclass) of its model
JSON_WITHOUT_NULL: dict[type[models.Field], dict[str, Any]] = {
    models.JSONField: {"form_class": BlankNullJSONField}
}
