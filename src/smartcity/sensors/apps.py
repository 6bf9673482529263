from django.apps import AppConfig


class SensorsConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.sensors"
    label = "sensors"
    verbose_name = "Sensoren (SensorThings)"
