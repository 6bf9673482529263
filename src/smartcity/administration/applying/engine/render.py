"""A step of a form as accessible HTML that works without JavaScript: a label for every
input, hints and errors tied to it with aria-describedby, a fieldset for each group,
choice and list, and an error summary at the top that links to the fields (as the GOV.UK
Design System does). Lists grow and shrink by submit buttons. Every value is escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.translation import gettext as _

from smartcity.administration.applying.engine import names
from smartcity.administration.applying.engine.fields import RADIO_UP_TO, Field, Path, Step
from smartcity.administration.applying.engine.parse import COUNT

AUTOCOMPLETE = {  # x-prefill -> the autocomplete token (WCAG 2.1, 1.3.5)
    "account.email": "email",
    "account.first_name": "given-name",
    "account.last_name": "family-name",
}


@dataclass(frozen=True)
class UploadInfo:
    name: str  # the file's original name
    size: int
    url: str  # where its applicant can open it


def error_summary(errors: dict[str, str]) -> str:
    """The box at the top of the page that lists each error as a link to its field."""
    if not errors:
        return ""
    items = "".join(
        f'<li><a href="#{escape(names.element_id(names.split(key)) or "f-")}">'
        f"{escape(message)}</a></li>"
        for key, message in errors.items()
    )
    return (
        '<div class="error-summary" role="alert" tabindex="-1" '
        'aria-labelledby="error-summary-title" data-error-summary>'
        f'<h2 id="error-summary-title">{escape(_("Bitte prüfen Sie Ihre Angaben"))}</h2>'
        f'<ul class="error-summary__list">{items}</ul></div>'
    )


def step(
    form_step: Step,
    data: dict[str, Any],
    errors: dict[str, str],
    uploads: dict[str, UploadInfo] | None = None,
    max_upload: int | None = None,
) -> str:
    """The fields of ``form_step`` filled with ``data``, with ``errors`` by field name;
    ``uploads`` the files held by field name, ``max_upload`` the platform's size limit."""
    context = _Context(errors, uploads or {}, max_upload)
    return "".join(context.field(f, (f.name,), data.get(f.name)) for f in form_step.fields)


class _Context:
    def __init__(
        self, errors: dict[str, str], uploads: dict[str, UploadInfo], max_upload: int | None
    ) -> None:
        self.errors, self.uploads, self.max_upload = errors, uploads, max_upload

    def field(self, field: Field, path: Path, value: Any) -> str:
        if field.kind == "group":
            return self.group(field, path, value if isinstance(value, dict) else {})
        if field.kind == "list":
            return self.list(field, path, value if isinstance(value, list) else [])
        if field.kind == "choice" and len(field.options) <= RADIO_UP_TO:
            return self.radios(field, path, value)
        return self.single(field, path, value)

    def _notes(self, field: Field, path: Path, hint: str = "") -> tuple[str, list[str], str]:
        """The hint and error paragraphs, the ids they have, and the field's class."""
        ident, html, ids = names.element_id(path), "", []
        hint = hint or field.description
        if hint:
            html += f'<p class="field__hint" id="{ident}-hint">{escape(hint)}</p>'
            ids.append(f"{ident}-hint")
        error = self.errors.get(names.name(path))
        if error:
            html += (
                f'<p class="field__error" id="{ident}-error"><span class="visually-hidden">'
                f"{escape(_('Fehler:'))}</span> {escape(error)}</p>"
            )
            ids.append(f"{ident}-error")
        return html, ids, "field field--error" if error else "field"

    @staticmethod
    def _label_text(field: Field) -> str:
        optional = (
            ""
            if field.required or field.kind == "boolean"
            else (f' <span class="field__optional">{escape(_("(freiwillig)"))}</span>')
        )
        return escape(field.title) + optional

    @staticmethod
    def _described(ids: list[str]) -> str:
        if not ids:
            return ""
        invalid = ' aria-invalid="true"' if any(i.endswith("-error") for i in ids) else ""
        return f' aria-describedby="{" ".join(ids)}"{invalid}'

    def single(self, field: Field, path: Path, value: Any) -> str:
        ident, name = names.element_id(path), escape(names.name(path))
        notes, ids, css = self._notes(field, path, _upload_hint(field, self.max_upload))
        described = self._described(ids)
        if field.kind == "boolean":
            checked = " checked" if value is True else ""
            return (
                f'<div class="{css} field--checkbox">{notes}<input type="checkbox" '
                f'id="{ident}" name="{name}"{checked}{described}> '
                f'<label for="{ident}">{self._label_text(field)}</label></div>'
            )
        label = f'<label class="field__label" for="{ident}">{self._label_text(field)}</label>'
        control = self._control(field, path, value, described)
        return f'<div class="{css}">{label}{notes}{control}</div>'

    def _control(self, field: Field, path: Path, value: Any, described: str) -> str:
        ident, name = names.element_id(path), escape(names.name(path))
        shown = "" if value is None else escape(str(value))
        attrs = f'id="{ident}" name="{name}"{described}'
        token = AUTOCOMPLETE.get(str(field.schema.get("x-prefill", "")))
        if token:
            attrs += f' autocomplete="{token}"'
        if field.kind == "textarea":
            return f'<textarea {attrs} rows="5" maxlength="{field.max_length}">{shown}</textarea>'
        if field.kind == "choice":
            options = [f'<option value="">{escape(_("Bitte wählen"))}</option>'] + [
                f'<option value="{escape(str(v))}"{" selected" if v == value else ""}>'
                f"{escape(label)}</option>"
                for v, label in field.options
            ]
            return f"<select {attrs}>{''.join(options)}</select>"
        if field.kind == "upload":
            accept = ",".join(field.upload.get("accept", ()))
            held = self.uploads.get(names.name(path))
            have = ""
            if held:
                have = (
                    f'<p class="field__file">{escape(_("Hochgeladen:"))} <a href="'
                    f'{escape(held.url)}">{escape(held.name)}</a> ({_size(held.size)}). '
                    f"{escape(_('Eine neue Datei ersetzt sie.'))}</p>"
                )
            return f'{have}<input type="file" {attrs} accept="{escape(accept)}">'
        kinds = {"date": "date", "email": "email", "integer": "text", "number": "text"}
        kind = kinds.get(field.kind, "text")
        extra = {
            "integer": ' inputmode="numeric"',
            "number": ' inputmode="decimal"',
            "date": "",
        }.get(field.kind, f' maxlength="{field.max_length}"')
        return f'<input type="{kind}" {attrs} value="{shown}"{extra}>'

    def radios(self, field: Field, path: Path, value: Any) -> str:
        ident, name = names.element_id(path), escape(names.name(path))
        notes, ids, css = self._notes(field, path)
        described = self._described(ids)
        options = []
        for index, (option, label) in enumerate(field.options):
            own = ident if index == 0 else f"{ident}-{index}"
            checked = " checked" if option == value else ""
            options.append(
                f'<div class="choice"><input type="radio" id="{own}" name="{name}" '
                f'value="{escape(str(option))}"{checked}{described}> '
                f'<label for="{own}">{escape(label)}</label></div>'
            )
        return (
            f'<fieldset class="{css} field--choices"><legend class="field__legend">'
            f"{self._label_text(field)}</legend>{notes}{''.join(options)}</fieldset>"
        )

    def group(self, field: Field, path: Path, value: dict[str, Any]) -> str:
        notes, _ids, css = self._notes(field, path)
        inner = "".join(self.field(c, (*path, c.name), value.get(c.name)) for c in field.children)
        return (
            f'<fieldset class="{css} group" id="{names.element_id(path)}" tabindex="-1">'
            f'<legend class="group__legend">{escape(field.title)}</legend>'
            f"{notes}{inner}</fieldset>"
        )

    def list(self, field: Field, path: Path, items: list[Any]) -> str:
        notes, _ids, css = self._notes(field, path)
        shown = max(len(items), field.min_items, 1)
        (child,) = field.children
        parts = []
        for index in range(min(shown, field.max_items)):
            item_path = (*path, index)
            value = items[index] if index < len(items) else None
            title = _("%(title)s, Angabe %(number)s") % {"title": field.title, "number": index + 1}
            item = Field(
                "",
                child.kind,
                child.schema,
                title,
                child.description,
                True,
                child.children,
                child.options,
            )
            inner = self.field(item, item_path, value)
            remove = ""
            if shown > max(field.min_items, 1):
                remove = (
                    f'<button type="submit" class="button button--secondary" name="_remove" '
                    f'value="{escape(names.name(item_path))}">'
                    f"{escape(_('Angabe %(number)s entfernen') % {'number': index + 1})}"
                    "</button>"
                )
            parts.append(f'<div class="list__item">{inner}{remove}</div>')
        count = (
            f'<input type="hidden" name="{escape(names.name((*path, COUNT)))}" '
            f'value="{min(shown, field.max_items)}">'
        )
        add = ""
        if shown < field.max_items:
            add = (
                f'<button type="submit" class="button button--secondary" name="_add" '
                f'value="{escape(names.name(path))}">{escape(_("Weitere hinzufügen"))}</button>'
            )
        return (
            f'<fieldset class="{css} list" id="{names.element_id(path)}" tabindex="-1">'
            f'<legend class="group__legend">{self._label_text(field)}</legend>{notes}'
            f"{''.join(parts)}{count}{add}</fieldset>"
        )


def _upload_hint(field: Field, cap: int | None) -> str:
    if field.kind != "upload":
        return ""
    kinds = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
    accepted = ", ".join(kinds.get(t, t) for t in field.upload.get("accept", ()))
    hint = _("Erlaubt: %(kinds)s, höchstens %(size)s.") % {
        "kinds": accepted,
        "size": _size(min(int(field.upload.get("maxBytes", 10**12)), cap or 10**12)),
    }
    return f"{field.description} {hint}".strip()


def _size(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{max(size // 1000, 1)} kB"
