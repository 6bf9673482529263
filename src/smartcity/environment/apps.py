from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    name = "smartcity.environment"
    label = "environment"
    verbose_name = "Umwelt"
