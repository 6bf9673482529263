from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

from smartcity.core.lifecycle import Service

if TYPE_CHECKING:
    from smartcity.core.models import ApiToken


class SensorsConfig(AppConfig):
    name = "smartcity.sensors"
    label = "sensors"
    verbose_name = "Sensoren (SensorThings)"

    def ready(self) -> None:
        from smartcity.core import demo, importers, lifecycle, sqlite_functions, tokens
        from smartcity.sensors.importers import opensensemap, sensor_community, uba
        from smartcity.sensors.odata import sqlite_functions as sta_functions

        sqlite_functions.provide(sta_functions.register)
        demo.register("sensors", _load_demo)
        importers.register(sensor_community.IMPORTER)
        importers.register(opensensemap.IMPORTER)
        importers.register(uba.IMPORTER)
        lifecycle.register_service(_mqtt_bridge)
        lifecycle.register_service(_demo_feeder)
        tokens.on_change(_provision_mqtt_account, _remove_mqtt_account)


def _load_demo(*, days: int, progress: object = None) -> dict[str, int]:
    from smartcity.sensors.demo import load_demo

    return load_demo(days=days, progress=progress)  # type: ignore[arg-type]


def _mqtt_bridge() -> Service | None:
    from smartcity.sensors.mqtt import bridge

    return bridge.from_settings()


def _demo_feeder() -> Service | None:
    from smartcity.sensors.demo import feeder

    return feeder.from_settings()


def _provision_mqtt_account(token: ApiToken, secret: str) -> None:
    from smartcity.sensors.mqtt import accounts

    accounts.provision(token, secret)


def _remove_mqtt_account(token: ApiToken) -> None:
    from smartcity.sensors.mqtt import accounts

    accounts.remove(token)
