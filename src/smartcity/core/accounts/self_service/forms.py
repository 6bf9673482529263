"""The forms of "Mein Konto": deleting the account asks for the password again; an
account without one (logged in through the identity broker) for a confirmation within
ACCOUNT_REAUTH_SECONDS of its login."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.core import config


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        help_text=_("Zur Sicherheit: das Passwort, mit dem Sie sich anmelden."),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto endgültig löschen."), required=True
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        # a password where the account has one, else the confirmation of a recent login
        del self.fields["confirm" if self.has_password else "password"]

    @property
    def has_password(self) -> bool:
        user: Any = self.request.user
        return bool(user.has_usable_password())

    @property
    def login_is_recent(self) -> bool:
        """Whether a passwordless account logged in within ACCOUNT_REAUTH_SECONDS."""
        user: Any = self.request.user
        last = user.last_login
        limit = config.get("ACCOUNT_REAUTH_SECONDS")
        return last is not None and (timezone.now() - last).total_seconds() <= limit

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.has_password and not self.login_is_recent:
            raise forms.ValidationError(
                _("Bitte melden Sie sich zuerst erneut an, dann können Sie Ihr Konto löschen.")
            )
        return cleaned

    def clean_password(self) -> str:
        """The password is checked through the login's backends, so wrong tries count
        towards the same lock-out (django-axes) as wrong logins."""
        password = self.cleaned_data["password"]
        user = self.request.user
        found = authenticate(self.request, username=user.get_username(), password=password)
        if found is None or found.pk != user.pk:
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return str(password)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with the platform's words: the rule of the new password in one line
    (Django's own help is an HTML list)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Bisheriges Passwort")
        self.fields["new_password1"].label = _("Neues Passwort")
        self.fields["new_password1"].help_text = _(
            "Mindestens 12 Zeichen; nicht nur Ziffern und kein häufiges Passwort."
        )
        self.fields["new_password2"].label = _("Neues Passwort wiederholen")
        self.fields["new_password2"].help_text = ""
