from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilityConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.mobility"
    label = "mobility"
    verbose_name = _("Mobilität")
