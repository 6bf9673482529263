from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    name = "smartcity.environment"
    label = "environment"
    verbose_name = "Umwelt"

    def ready(self) -> None:
        from smartcity.environment import tasks  # noqa: F401 - registers its tasks on the queue
