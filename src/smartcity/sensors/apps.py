from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.sensors"
    label = "sensors"
    verbose_name = _("Sensoren (SensorThings)")
