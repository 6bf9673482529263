from django.apps import AppConfig


class SensorsConfig(AppConfig):
    name = "smartcity.sensors"
    label = "sensors"
    verbose_name = "Sensoren (SensorThings)"

    def ready(self) -> None:
        from smartcity.core import demo, importers, lifecycle, sqlite_functions
        from smartcity.sensors.importers import opensensemap, sensor_community, uba
        from smartcity.sensors.odata import sqlite_functions as sta_functions

        sqlite_functions.provide(sta_functions.register)
        demo.register("sensors", _load_demo)
        importers.register(sensor_community.IMPORTER)
        importers.register(opensensemap.IMPORTER)
        importers.register(uba.IMPORTER)
        lifecycle.register(_start_mqtt, _stop_mqtt)
        lifecycle.register(_start_feed, _stop_feed)


def _load_demo(*, days: int, progress: object = None) -> dict[str, int]:
    from smartcity.sensors.demo import load_demo

    return load_demo(days=days, progress=progress)  # type: ignore[arg-type]


def _start_mqtt() -> None:
    from smartcity.sensors.mqtt import bridge

    bridge.start_from_settings()


def _stop_mqtt() -> None:
    from smartcity.sensors.mqtt import bridge

    bridge.stop_running()


def _start_feed() -> None:
    from smartcity.sensors.demo import feeder

    feeder.start_from_settings()


def _stop_feed() -> None:
    from smartcity.sensors.demo import feeder

    feeder.stop_running()
