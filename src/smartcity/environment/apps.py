from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    name = "smartcity.environment"
    label = "environment"
    verbose_name = "Umwelt"

    def ready(self) -> None:
        from smartcity.core import threads
        from smartcity.environment import (
            live,
            tasks,  # noqa: F401 - registers its tasks on the queue
        )

        threads.STREAMING_PATHS.add(live.PATH)
