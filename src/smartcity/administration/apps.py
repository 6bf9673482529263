from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdministrationConfig(AppConfig):
    """Everything the domain brings is declared in ``platform.py``."""

    name = "smartcity.administration"
    label = "administration"
    verbose_name = _("Digitale Verwaltung")

    def ready(self) -> None:
        from smartcity.administration.applying.case import hooks

        hooks.connect()  # a completed payment goes into its application's history
        from smartcity.administration.workflow import hooks as workflow_hooks

        workflow_hooks.connect()  # an answered document request: back to the check
