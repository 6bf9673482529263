"""A step's POST into typed data: strings stripped (empty ones left out), numbers as
numbers, dates as ISO dates (also written 31.12.2026), choices as their option's value.
Only the step's own fields are read; anything else the browser sends is ignored. What
cannot be read is an error by the field's name, in German (the person sees what they
typed again), and never stored beyond the field's length."""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from smartcity.administration.applying.engine import names
from smartcity.administration.applying.engine.fields import Field, Form, Path, Step

COUNT = "__count"  # a list's hidden input: how many items the page shows
_INTEGER = re.compile(r"^[+-]?\d{1,15}$")
_NUMBER = re.compile(r"^[+-]?\d{1,15}([.,]\d{1,10})?$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Parsed:
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


class _Unreadable(ValueError):
    pass


def step(form_step: Step, values: Mapping[str, str], previous: dict[str, Any]) -> Parsed:
    """The step's fields read from ``values`` (the POST); uploads keep their ``previous``
    value (the views store a new file and set its id)."""
    parsed = Parsed()
    for item in form_step.fields:
        value = _read(item, (item.name,), values, previous.get(item.name), parsed)
        if value is not None:
            parsed.data[item.name] = value
    return parsed


def _read(item: Field, path: Path, values: Mapping[str, str], old: Any, parsed: Parsed) -> Any:
    if item.kind == "group":
        old = old if isinstance(old, dict) else {}
        group = {}
        for child in item.children:
            value = _read(child, (*path, child.name), values, old.get(child.name), parsed)
            if value is not None:
                group[child.name] = value
        return group or None
    if item.kind == "list":
        return _read_list(item, path, values, old, parsed)
    if item.kind == "upload":
        return old if isinstance(old, str) else None
    if item.kind == "boolean":
        return names.name(path) in values
    raw = values.get(names.name(path))
    if raw is None or not isinstance(raw, str):
        return None
    text = raw.replace("\r\n", "\n").strip()
    if text == "":
        return None
    try:
        return _typed(item, text)
    except _Unreadable as error:
        parsed.errors[names.name(path)] = str(error)
        keep = item.kind != "choice" and len(text) <= item.max_length
        return text if keep and not _CONTROL.search(text) else None


def _read_list(
    item: Field, path: Path, values: Mapping[str, str], old: Any, parsed: Parsed
) -> list[Any] | None:
    raw_count = values.get(names.name((*path, COUNT)), "")
    count = int(raw_count[:4]) if raw_count.isascii() and raw_count.isdigit() else 0
    count = max(min(count, item.max_items), 0)
    old = old if isinstance(old, list) else []
    (child,) = item.children
    found = []
    for index in range(count):
        previous = old[index] if index < len(old) else None
        value = _read(child, (*path, index), values, previous, parsed)
        found.append(value)
    found = [v for v in found if v is not None]  # an item left empty is left out
    return found or None


def _typed(item: Field, text: str) -> Any:
    if _CONTROL.search(text):
        raise _Unreadable(_("Die Angabe enthält ein unzulässiges Zeichen."))
    if len(text) > item.max_length:
        raise _Unreadable(
            _("Die Angabe darf höchstens %(count)s Zeichen lang sein.") % {"count": item.max_length}
        )
    if item.kind == "date":
        return _date(text)
    if item.kind == "integer":
        if not _INTEGER.match(text):
            raise _Unreadable(_("Bitte geben Sie eine ganze Zahl ein, zum Beispiel 3."))
        return int(text)
    if item.kind == "number":
        if not _NUMBER.match(text):
            raise _Unreadable(_("Bitte geben Sie eine Zahl ein, zum Beispiel 2,5."))
        number = float(text.replace(",", "."))
        if not math.isfinite(number):
            raise _Unreadable(_("Bitte geben Sie eine Zahl ein, zum Beispiel 2,5."))
        return number
    if item.kind == "choice":
        for value, _label in item.options:
            if str(value) == text:
                return value
        raise _Unreadable(_("Bitte wählen Sie eine der angebotenen Möglichkeiten."))
    return text


def _date(text: str) -> str:
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(p) for p in german.groups())
            return date(year, month, day).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise _Unreadable(_("Bitte geben Sie ein gültiges Datum ein, zum Beispiel 31.12.2026."))


def list_action(
    form: Form, form_step: Step, values: Mapping[str, str], data: dict[str, Any]
) -> bool:
    """Applies "Weitere hinzufügen" (``_add``: a list's name) or "Entfernen" (``_remove``:
    an item's name) to ``data``; whether there was one."""
    add, remove = values.get("_add"), values.get("_remove")
    target = names.split(add or remove or "")
    if not target or target[0] not in {f.name for f in form_step.fields}:
        return False
    if add:
        holder, key = _container(data, target[:-1], create=True), target[-1]
        found = form.field(target)
        if isinstance(holder, dict | list) and found is not None and found.kind == "list":
            current = _get(holder, key)
            items = current if isinstance(current, list) else []
            empty = {} if found.children[0].kind == "group" else ""
            raw = values.get(names.name((*target, COUNT)), "")
            shown = int(raw[:4]) if raw.isascii() and raw.isdigit() else 0
            # the entries the page showed, left empty (so left out), stay on it
            while len(items) < min(shown, found.max_items - 1):
                items.append(copy.deepcopy(empty))
            if len(items) < found.max_items:
                items.append(copy.deepcopy(empty))
            _set(holder, key, items)
        return True
    holder = _container(data, target[:-2])
    listed = _get(holder, target[-2]) if len(target) >= 2 else None
    if isinstance(listed, list) and isinstance(target[-1], int) and target[-1] < len(listed):
        del listed[target[-1]]
    return True


def _get(holder: Any, key: str | int) -> Any:
    if isinstance(holder, dict):
        return holder.get(key)
    if isinstance(holder, list) and isinstance(key, int) and 0 <= key < len(holder):
        return holder[key]
    return None


def _set(holder: Any, key: str | int, value: Any) -> None:
    if isinstance(holder, dict):
        holder[key] = value
        return
    if isinstance(holder, list) and isinstance(key, int) and 0 <= key < len(holder):
        holder[key] = value


def _container(data: Any, path: Path, create: bool = False) -> Any:
    for part in path:
        if create and isinstance(data, dict) and isinstance(part, str):
            data = data.setdefault(part, {})
        else:
            data = _get(data, part)
    return data
