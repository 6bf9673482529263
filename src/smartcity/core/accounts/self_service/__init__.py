"""Mein Konto: what is stored about a person, its download, deleting the account; OIDC."""
