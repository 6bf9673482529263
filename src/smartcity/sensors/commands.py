"""The domain's ``smartcity`` sub-commands (declared in platform.py): ``smartcity mqtt``
writes a Mosquitto configuration and keeps the broker's device accounts in step."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_mqtt(args: argparse.Namespace) -> int:
    from smartcity.sensors.mqtt import accounts
    from smartcity.sensors.mqtt.dynsec import BrokerUnavailable

    if args.action == "broker-config":
        return _broker_config(args)
    try:
        report = accounts.sync()
    except (BrokerUnavailable, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name in report.deleted:
        print(f"deleted the account of revoked token {name}")
    for token in report.to_rotate:
        print(
            f"token {token.pk} ({token.name}) has no broker account; give it one with a new "
            f"secret: smartcity token rotate {token.pk}"
        )
    for problem in report.errors:
        print(f"error: {problem}", file=sys.stderr)
    if not report.errors:
        print("broker in sync: roles, anonymous group and the bridge's account are set")
    return 1 if report.errors else 0


def _broker_config(args: argparse.Namespace) -> int:
    """Print (or write, with the plugin's first state) the broker's mosquitto.conf: listener
    address and port, TLS and autosave from the SMARTCITY_MQTT_BROKER_* settings."""
    from django.core.exceptions import ImproperlyConfigured

    from smartcity.core import config
    from smartcity.sensors.mqtt import broker_setup
    from smartcity.sensors.mqtt.dynsec import Dynsec

    folder = Path(args.dir).resolve()
    plugin = args.plugin or broker_setup.find_plugin()
    try:
        listen = {
            "port": config.get("MQTT_BROKER_PORT") if args.port is None else args.port,
            "host": config.get("MQTT_BROKER_HOST") if args.host is None else args.host,
            "autosave": broker_setup.autosave_from_settings(),
            "tls": broker_setup.tls_from_settings(),
        }
        if not args.write:
            print(broker_setup.config_snippet(folder, plugin=plugin, **listen), end="")
            return 0
        admin = Dynsec(config.get("MQTT_ADMIN_URL"))
        conf = broker_setup.write(
            folder,
            plugin=plugin,
            admin_user=admin.username,
            admin_password=admin.password,
            **listen,
        )
    except (ValueError, OSError, ImproperlyConfigured) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {conf} and {folder / broker_setup.STATE_FILE}")
    print(f"next: mosquitto -c {conf}, then: smartcity mqtt sync")
    return 0


def configure_mqtt(mqtt: argparse.ArgumentParser) -> None:
    actions = mqtt.add_subparsers(dest="action", required=True, metavar="ACTION")
    config = actions.add_parser(
        "broker-config", help="print (or --write) a Mosquitto config with dynamic security"
    )
    config.add_argument("--dir", default="/var/lib/mosquitto/smartcity", help="the broker's folder")
    config.add_argument(
        "--port", type=int, help="the plain listener's port (default: SMARTCITY_MQTT_BROKER_PORT)"
    )
    config.add_argument(
        "--host", help="the address the broker listens on (default: SMARTCITY_MQTT_BROKER_HOST)"
    )
    config.add_argument("--plugin", help="path of mosquitto_dynamic_security.so (default: found)")
    config.add_argument(
        "--write",
        action="store_true",
        help="write mosquitto.conf and the plugin's first state file (administrator from "
        "SMARTCITY_MQTT_ADMIN_URL) into --dir",
    )
    actions.add_parser(
        "sync", help="create the broker's roles and the bridge's account; delete revoked tokens'"
    )
    mqtt.set_defaults(func=cmd_mqtt)
