"""The forms of logging in, registering, the links by mail and the second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MAX_PASSWORD = 1024  # characters: enough for any password manager, bounded for the hasher


def safe_next(value: str | None) -> str | None:
    """A ``next`` target that stays on this site: a path (``/...``), never another host,
    a scheme, ``//host`` or a backslash a browser would read as one."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if "\\" in value or any(ord(c) < 32 for c in value):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=set()) else None


class LoginForm(AuthenticationForm):
    """Django's login form (it calls ``authenticate(request, ...)``, where axes counts and
    locks), with the e-mail address as the user name and plain German messages."""

    username = forms.CharField(
        label=_("E-Mail-Adresse oder Benutzername"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Passwort"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort stimmen nicht. Haben Sie sich gerade registriert? "
            "Dann bestätigen Sie bitte zuerst Ihre E-Mail-Adresse mit dem Link aus unserer "
            "E-Mail."
        ),
        "inactive": _("Dieses Konto ist gesperrt."),
    }

    def clean_username(self) -> str:
        typed: str = self.cleaned_data["username"].strip()
        return typed.lower() if "@" in typed else typed


class EmailField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("E-Mail-Adresse"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)


class RegistrationForm(forms.Form):
    email = EmailField()
    password1 = forms.CharField(
        label=_("Passwort"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 12 Zeichen; nicht nur Ziffern und kein häufiges Passwort."),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        max_length=MAX_PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Die beiden Passwörter sind nicht gleich."))
        elif first:
            # Django's validators (settings.AUTH_PASSWORD_VALIDATORS), against a user that
            # is never saved: the same check for a known and an unknown address
            user = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EmailOnlyForm(forms.Form):
    email = EmailField()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "Die sechs Ziffern aus Ihrer Authenticator-App, oder einer Ihrer "
            "Wiederherstellungscodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
