"""The authentication backend of logins through the identity broker. The broker has
checked the person and accounts.py found their account; going through
``django.contrib.auth.authenticate`` all the same puts axes' backend (first in
AUTHENTICATION_BACKENDS) in front, so a locked login is refused here as everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

PATH = "smartcity.core.accounts.oidc.backend.OidcBackend"


class OidcBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, oidc_user: Any = None, **kwargs: Any
    ) -> Any:
        if oidc_user is None or not self.user_can_authenticate(oidc_user):
            return None
        return oidc_user
