"""Which account a checked login through the broker is (core.accounts.oidc.accounts): the
claims mapped, a new citizen made, an existing account never taken over by its address,
linking only for the account one is logged in to."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from smartcity.core import roles
from smartcity.core.accounts.oidc import accounts
from smartcity.core.accounts.oidc.settings import claim_mapping
from smartcity.core.models import OidcIdentity

ISSUER = "https://login.example.de/realms/hamm"
ERIKA = {
    "sub": "f81d4fae-7dec",
    "email": "Erika@Example.org",
    "email_verified": True,
    "given_name": "Erika",
    "family_name": "Mustermann",
}


def test_the_default_mapping_and_a_city_s_own(monkeypatch):
    assert claim_mapping() == {
        "email": "email",
        "first_name": "given_name",
        "last_name": "family_name",
    }
    monkeypatch.setenv("SMARTCITY_OIDC_CLAIMS", "first_name=vorname, last_name=nachname")
    assert claim_mapping() == {"first_name": "vorname", "last_name": "nachname"}


@pytest.mark.parametrize("wrong", ["is_staff=admin", "email", "email=", "password=pw"])
def test_a_wrong_mapping_names_the_setting(monkeypatch, wrong):
    monkeypatch.setenv("SMARTCITY_OIDC_CLAIMS", wrong)
    with pytest.raises(ImproperlyConfigured, match="SMARTCITY_OIDC_CLAIMS"):
        claim_mapping()


def test_only_a_verified_valid_address_is_taken(monkeypatch):
    assert accounts.mapped_fields(ERIKA)["email"] == "erika@example.org"
    assert "email" not in accounts.mapped_fields({**ERIKA, "email_verified": False})
    assert "email" not in accounts.mapped_fields({**ERIKA, "email_verified": "true"})
    assert "email" not in accounts.mapped_fields({**ERIKA, "email": "not an address"})
    monkeypatch.setenv("SMARTCITY_OIDC_REQUIRE_EMAIL_VERIFIED", "0")
    assert accounts.mapped_fields({**ERIKA, "email_verified": False})["email"]


def test_claims_that_are_no_text_or_too_long_are_cut_or_left_out():
    fields = accounts.mapped_fields({**ERIKA, "given_name": ["x"], "family_name": "M" * 400})
    assert "first_name" not in fields and len(fields["last_name"]) == 150


@pytest.mark.django_db
def test_a_new_identity_is_a_new_citizen_and_then_the_same_one():
    first = accounts.account_for(ISSUER, ERIKA)
    assert first.created and first.user.username.startswith("oidc-")
    assert "@" not in first.user.username  # never a registered account's user name
    assert roles.held(first.user) == {"citizen": frozenset({None})}
    again = accounts.account_for(ISSUER, {**ERIKA, "family_name": "Musterfrau"})
    assert again.user == first.user and not again.created
    assert User.objects.get().last_name == "Musterfrau"
    # the same subject at another issuer is another person
    assert accounts.account_for("https://other.example", {**ERIKA, "email": ""}).created


@pytest.mark.django_db
def test_an_existing_address_is_not_taken_over():
    User.objects.create_user("erika@example.org", "erika@example.org", "x" * 20)
    assert accounts.account_for(ISSUER, ERIKA).problem == "exists"
    assert not OidcIdentity.objects.exists()
    # the address as another account's e-mail field counts too, in any case
    User.objects.all().delete()
    User.objects.create_user("verwaltung", "ERIKA@example.org", "x" * 20)
    assert accounts.account_for(ISSUER, ERIKA).problem == "exists"


@pytest.mark.django_db
def test_linking_is_for_the_logged_in_account_and_only_once():
    owner = User.objects.create_user("erika@example.org", "erika@example.org", "x" * 20)
    linked = accounts.account_for(ISSUER, ERIKA, linking=owner)
    assert linked.linked and linked.user == owner
    assert User.objects.get(pk=owner.pk).first_name == "Erika"  # an empty field filled
    other = User.objects.create_user("someone@example.org", "someone@example.org", "x" * 20)
    assert accounts.account_for(ISSUER, ERIKA, linking=other).problem == "taken"
    # returning, the account with a password keeps its own data
    owner.last_name = "Eigen"
    owner.save()
    accounts.account_for(ISSUER, {**ERIKA, "family_name": "Anders"})
    assert User.objects.get(pk=owner.pk).last_name == "Eigen"


@pytest.mark.django_db
def test_a_deactivated_account_stays_out():
    user = accounts.account_for(ISSUER, ERIKA).user
    user.is_active = False
    user.save()
    assert accounts.account_for(ISSUER, ERIKA).problem == "inactive"
