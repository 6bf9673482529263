"""The forms of "Mein Konto": deleting the account asks for the password again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        help_text=_("Zur Sicherheit: das Passwort, mit dem Sie sich anmelden."),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

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
