from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "smartcity.portal"
    label = "portal"
    verbose_name = "Portal"
