from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.environment"
    label = "environment"
    verbose_name = "Umwelt"
