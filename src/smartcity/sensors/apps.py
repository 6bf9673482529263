from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "smartcity.sensors"
    label = "sensors"
    verbose_name = "Sensoren (SensorThings)"

    def ready(self) -> None:
        from smartcity.core import sqlite_functions
        from smartcity.sensors.odata import sqlite_functions as sta_functions

        sqlite_functions.provide(sta_functions.register)
