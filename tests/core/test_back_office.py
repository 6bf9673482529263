"""The back office speaks German and names the city: its titles and every model's name."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.utils import translation

from smartcity.domains import DOMAIN_APPS
from tests.staff import verified_login

PLATFORM_APPS = [apps.get_app_config(path.rsplit(".", 1)[-1]) for path in DOMAIN_APPS]


def test_the_platform_apps_are_all_walked():
    assert {config.label for config in PLATFORM_APPS} >= {"core", "sensors", "environment"}


@pytest.mark.parametrize(
    "model",
    [model for config in PLATFORM_APPS for model in config.get_models()],
    ids=lambda model: model._meta.label,
)
def test_every_model_has_explicit_german_names(model):
    """Django's fallback from the class name ("observed propertys") is English; each
    model says its singular and plural itself."""
    declared = model._meta.original_attrs
    assert "verbose_name" in declared and "verbose_name_plural" in declared
    with translation.override("de"):
        assert str(model._meta.verbose_name) != model.__name__.lower()


@pytest.mark.django_db
def test_the_titles_name_the_city(client, settings):
    user = User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    verified_login(client, user)
    german = client.get("/admin/", headers={"Accept-Language": "de"}).content.decode()
    assert "Smart City Hamm – Verwaltung" in german  # noqa: RUF001
    assert "Django" not in german
    assert "Stationen (Things)" in german and "Datenströme" in german
    english = client.get("/admin/", headers={"Accept-Language": "en"}).content.decode()
    assert "Smart City Hamm – Back office" in english  # noqa: RUF001
