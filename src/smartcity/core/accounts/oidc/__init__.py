"""Citizens log in through the city's identity broker with OpenID Connect (a Keycloak that
brokers BundID, say): settings.py the SMARTCITY_OIDC_* settings, client.py the broker as
an authlib client (discovery, PKCE, ID token checks), accounts.py which account a login
is (no HTTP), backend.py the authentication backend, views.py and urls.py under
/konto/oidc/. docs/accounts.md, "Anmeldung über OIDC / Keycloak / BundID"."""
