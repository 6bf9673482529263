"""The provider's claims, and two clients that misbehave on purpose: ``tampered`` gets ID
tokens whose payload was changed after signing, ``expired`` ID tokens that expired an
hour ago (properly signed)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

PEOPLE = {  # user name -> claims
    "erika": {
        "email": "erika.mustermann@example.org",
        "email_verified": True,
        "given_name": "Erika",
        "family_name": "Mustermann",
    },
    "max": {
        "email": "max@example.org",
        "email_verified": False,
        "given_name": "Max",
        "family_name": "Muster",
    },
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tamper(jwt: str) -> str:
    """The same token with another subject in its payload, the signature left as it was."""
    header, payload, signature = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    return ".".join((header, _b64(json.dumps(claims).encode()), signature))


class TestValidator(OAuth2Validator):
    oidc_claim_scope = {
        "sub": "openid",
        "email": "email",
        "email_verified": "email",
        "given_name": "profile",
        "family_name": "profile",
    }

    def get_additional_claims(self, request):
        return dict(PEOPLE.get(request.user.username, {}))

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.client.client_id == "expired":
            past = timezone.now() - timedelta(hours=1)
            claims["exp"] = int(past.timestamp())
            claims["iat"] = int((past - timedelta(minutes=5)).timestamp())
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        jwt = super().finalize_id_token(id_token, token, token_handler, request)
        return tamper(jwt) if request.client.client_id == "tampered" else jwt
