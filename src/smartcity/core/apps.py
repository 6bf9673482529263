from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "smartcity.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from smartcity.core import contract, db, lifecycle, logins, tasks

        db.install_connection_hooks()
        logins.connect()  # failed logins and lock-outs to the log
        lifecycle.register(tasks.start_in_server, tasks.stop_in_server)
        contract.install()  # every domain's hooks, from its platform.py
