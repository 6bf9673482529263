from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartcity.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from smartcity.core import (
            db,
            lifecycle,
            schedules,  # noqa: F401 - registers its tasks on the queue
            tasks,
        )

        db.install_connection_hooks()
        lifecycle.register(tasks.start_in_server, tasks.stop_in_server)
