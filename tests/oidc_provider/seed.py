"""python -m tests.oidc_provider.seed REDIRECT_URI POST_LOGOUT_URI: the provider's database
migrated, its people (password "provider-passwort") and clients (secret "client-secret"):
``smartcity`` (confidential), ``public`` (no secret), ``tampered`` and ``expired``."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")

import django

PASSWORD = "provider-passwort"
SECRET = "client-secret"


def main(redirect_uri: str, post_logout_uri: str) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider.validators import PEOPLE

    call_command("migrate", verbosity=0)
    for name in PEOPLE:
        User.objects.create_user(name, password=PASSWORD)
    for client_id in ("smartcity", "public", "tampered", "expired"):
        public = client_id == "public"
        Application.objects.create(
            name=f"Smart City ({client_id})",
            client_id=client_id,
            client_secret="" if public else SECRET,
            client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri,
            post_logout_redirect_uris=post_logout_uri,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
