from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartcity.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from smartcity.core import db

        db.install_connection_hooks()
