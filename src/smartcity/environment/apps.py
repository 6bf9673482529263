from django.apps import AppConfig


class EnvironmentConfig(AppConfig):
    name = "smartcity.environment"
    label = "environment"
    verbose_name = "Umwelt"

    def ready(self) -> None:
        from smartcity.core import threads
        from smartcity.environment import live

        threads.STREAMING_PATHS.add(live.PATH)
