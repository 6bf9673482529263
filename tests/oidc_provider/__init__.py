"""A small OpenID provider (django-oauth-toolkit) the OIDC login tests run as a process of
its own (tests/core/accounts/oidc_server.py starts it): a test user, clients registered
with the platform's callback, its own SQLite file and RSA key in a temporary folder."""
