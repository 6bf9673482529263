"""The settings of the citizens' OIDC login (declared by core/platform.py); import-light,
as the command line reads them before Django is set up."""

from __future__ import annotations

from smartcity.core import config
from smartcity.core.config import Setting

FIELDS = {"email": 254, "first_name": 150, "last_name": 150}  # account fields a claim may fill

SETTINGS = (
    Setting(
        "OIDC_ISSUER",
        "",
        "Issuer URL of the city's identity broker (e.g. Keycloak's realm, "
        "https://login.example.de/realms/hamm); its .well-known/openid-configuration is "
        "read for the endpoints and keys. Empty: no OIDC login (the button is not shown).",
    ),
    Setting(
        "OIDC_CLIENT_ID",
        "",
        "Client ID the platform is registered with at the identity broker.",
    ),
    Setting(
        "OIDC_CLIENT_SECRET",
        "",
        "Client secret of a confidential client (sent by HTTP Basic to the token "
        "endpoint, never logged); empty: a public client, protected by PKCE alone.",
    ),
    Setting(
        "OIDC_SCOPES",
        "openid email profile",
        "Scopes asked for, separated by spaces; openid is always added.",
    ),
    Setting(
        "OIDC_BUTTON_LABEL",
        "",
        "Label of the login button; empty: „Mit BundID / Servicekonto anmelden“ "
        "(translated like the rest of the page).",
    ),
    Setting(
        "OIDC_CLAIMS",
        "email=email,first_name=given_name,last_name=family_name",
        "Which ID token claim fills which account field, as field=claim pairs separated by "
        "commas; fields: email, first_name, last_name. A claim the token lacks leaves the "
        "field as it is.",
    ),
    Setting(
        "OIDC_REQUIRE_EMAIL_VERIFIED",
        "1",
        "1 takes an e-mail address from the broker only when its email_verified claim is "
        "true (otherwise the account gets none); 0 takes it as it comes. Never used to "
        "take over an existing account (docs/accounts.md).",
        kind=bool,
    ),
    Setting(
        "OIDC_TIMEOUT",
        "10",
        "Seconds each HTTP call to the identity broker (discovery, keys, token) may take; "
        "then the login is answered 'try again later' (503).",
        kind=float,
        minimum=0.1,
    ),
    Setting(
        "OIDC_CLOCK_SKEW_SECONDS",
        "60",
        "How far the broker's clock may be off when an ID token's exp and iat are checked, "
        "in seconds.",
        kind=int,
        minimum=0,
    ),
    Setting(
        "OIDC_SIGNING_ALGORITHMS",
        "RS256,PS256,ES256",
        "ID token signature algorithms accepted (comma-separated, asymmetric only: the "
        "signature is checked against the broker's published keys, JWKS).",
    ),
    Setting(
        "OIDC_METADATA_SECONDS",
        "3600",
        "How long one server process keeps the broker's discovery document and keys "
        "before reading them again, in seconds (an unknown key ID reads the keys at once).",
        kind=int,
        minimum=0,
    ),
)


def claim_mapping() -> dict[str, str]:
    """SMARTCITY_OIDC_CLAIMS as {account field: claim}; settings.py reads it once at the
    start, so that a wrong pair stops the start with a message naming the setting."""
    from django.core.exceptions import ImproperlyConfigured

    found: dict[str, str] = {}
    for pair in config.get("OIDC_CLAIMS").split(","):
        if not pair.strip():
            continue
        field, _, claim = (part.strip() for part in pair.partition("="))
        if field not in FIELDS or not claim:
            raise ImproperlyConfigured(
                f"SMARTCITY_OIDC_CLAIMS: {pair.strip()!r} is not field=claim with a field of "
                f"{', '.join(FIELDS)}"
            )
        found[field] = claim
    return found
