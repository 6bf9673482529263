from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnvironmentConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.environment"
    label = "environment"
    verbose_name = _("Umwelt")
