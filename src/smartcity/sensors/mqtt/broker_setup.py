"""The Mosquitto configuration the platform expects (``smartcity mqtt broker-config``): a
config snippet that loads the dynamic security plugin, and the plugin's first state file
with only the administrator, as ``mosquitto_ctrl dynsec init`` writes it. Everything else
(roles, the bridge's client, device clients) the platform then creates over
``$CONTROL/dynamic-security/v1`` (``smartcity mqtt sync``).

The snippet also makes the broker durable (sessions and queued QoS 1 messages written to
disk after every SMARTCITY_MQTT_BROKER_AUTOSAVE changes, so that a killed broker keeps what
it acknowledged), binds it to SMARTCITY_MQTT_BROKER_HOST (loopback unless the operator says
otherwise) and adds a TLS listener when a certificate and key are configured (:class:`Tls`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import orjson

from smartcity.core import config

STATE_FILE = "dynamic-security.json"
PLUGIN_PATHS = (
    "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
    "/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so",
    "/usr/lib/mosquitto_dynamic_security.so",
    "/usr/local/lib/mosquitto_dynamic_security.so",
)
_ITERATIONS = 100_000  # the administrator's password is chosen by a person
_ADMIN_TOPICS = ("$CONTROL/dynamic-security/#",)
PLAIN_CHOICES = ("loopback", "off")
AUTOSAVE_UNITS = ("changes", "seconds")
_HOST = re.compile(r"[A-Za-z0-9.:_%-]*")  # an IPv4 or IPv6 address, a host name, or empty


def find_plugin() -> str:
    return next((path for path in PLUGIN_PATHS if Path(path).exists()), PLUGIN_PATHS[0])


@dataclass(frozen=True)
class Autosave:
    """When the broker writes its sessions and queued QoS 1 messages to disk (mosquitto.db,
    rewritten whole and synced each time): once ``every`` changes added up (queued
    messages, acknowledgements, subscriptions), checked at the end of each pass of its
    event loop, or every ``every`` seconds."""

    every: int = 1
    unit: str = "seconds"

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"SMARTCITY_MQTT_BROKER_AUTOSAVE must be at least 1, not {self.every}")
        if self.unit not in AUTOSAVE_UNITS:
            raise ValueError(f"the autosave unit is changes or seconds, not {self.unit!r}")

    def lines(self, folder: Path) -> str:
        """The persistence lines of mosquitto.conf, the database in ``folder``."""
        if self.unit == "seconds":
            return f"""\
# durability: sessions and queued QoS 1 messages go to disk (mosquitto.db, rewritten whole
# and synced) every {self.every} s (Mosquitto counts whole seconds): a crash loses what the
# broker acknowledged since the last write (docs/install.md, "The MQTT broker")
persistence true
persistence_location {folder}/
autosave_on_changes false
autosave_interval {self.every}
"""
        return f"""\
# durability: sessions and queued QoS 1 messages go to disk (mosquitto.db, rewritten whole
# and synced) at the end of a pass of the broker's event loop, once {self.every} change(s)
# (queued messages, acknowledgements, subscriptions) added up since the last write; with
# 1 after every pass that changed anything, about one write per message. The PUBACK goes
# out during the pass: a crash loses at most what the last pass acknowledged
# (docs/install.md, "The MQTT broker")
persistence true
persistence_location {folder}/
autosave_on_changes true
autosave_interval {self.every}
"""


def autosave_from_settings() -> Autosave:
    return Autosave(config.get("MQTT_BROKER_AUTOSAVE"), config.get("MQTT_BROKER_AUTOSAVE_UNIT"))


@dataclass(frozen=True)
class Tls:
    """A TLS listener: the broker's certificate and key (PEM files), the CA whose
    certificates clients must present (empty: none asked), and what becomes of the plain
    listener beside it: ``loopback`` (127.0.0.1 only, for the platform on the broker's
    machine) or ``off``."""

    cert: str
    key: str
    client_ca: str = ""
    port: int = 8883
    plain: str = "loopback"

    def __post_init__(self) -> None:
        if not self.cert or not self.key:
            raise ValueError(
                "a TLS listener needs both SMARTCITY_MQTT_BROKER_TLS_CERT and "
                "SMARTCITY_MQTT_BROKER_TLS_KEY"
            )
        if self.plain not in PLAIN_CHOICES:
            raise ValueError(f"the plain listener is loopback or off, not {self.plain!r}")
        _port("SMARTCITY_MQTT_BROKER_TLS_PORT", self.port)
        files = {"CERT": self.cert, "KEY": self.key, "CLIENT_CA": self.client_ca}
        for name, path in files.items():
            if path and not Path(path).is_absolute():
                raise ValueError(f"SMARTCITY_MQTT_BROKER_TLS_{name} must be an absolute path")
            _one_line(f"SMARTCITY_MQTT_BROKER_TLS_{name}", path)

    def missing(self) -> list[str]:
        """The files named that are not there (on the broker's machine)."""
        return [f for f in (self.cert, self.key, self.client_ca) if f and not Path(f).is_file()]


def tls_from_settings() -> Tls | None:
    """The TLS listener the settings ask for; None without a certificate and key."""
    cert, key = config.get("MQTT_BROKER_TLS_CERT"), config.get("MQTT_BROKER_TLS_KEY")
    client_ca = config.get("MQTT_BROKER_TLS_CLIENT_CA")
    if not (cert or key):
        if client_ca:
            raise ValueError(
                "SMARTCITY_MQTT_BROKER_TLS_CLIENT_CA needs a TLS listener: set "
                "SMARTCITY_MQTT_BROKER_TLS_CERT and SMARTCITY_MQTT_BROKER_TLS_KEY"
            )
        return None
    return Tls(
        cert,
        key,
        client_ca=client_ca,
        port=config.get("MQTT_BROKER_TLS_PORT"),
        plain=config.get("MQTT_BROKER_PLAIN_LISTENER"),
    )


def _one_line(name: str, value: str) -> None:
    """Refuse what would end a line of mosquitto.conf (and so add lines of its own)."""
    if any(c in value for c in "\r\n\0"):
        raise ValueError(f"{name} must not contain a line break")


def _port(name: str, port: int) -> None:
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be a port from 1 to 65535, not {port}")


def _listeners(host: str, port: int, tls: Tls | None) -> str:
    """The listener lines; the options after a ``listener`` line belong to it."""
    if not _HOST.fullmatch(host):
        raise ValueError(f"SMARTCITY_MQTT_BROKER_HOST must be an address or a name, not {host!r}")
    _port("SMARTCITY_MQTT_BROKER_PORT", port)
    if tls is not None and tls.plain == "loopback" and tls.port == port:
        raise ValueError(
            "SMARTCITY_MQTT_BROKER_TLS_PORT and SMARTCITY_MQTT_BROKER_PORT must differ "
            "(or SMARTCITY_MQTT_BROKER_PLAIN_LISTENER=off)"
        )
    if tls is None:
        return f"listener {port} {host}".rstrip() + "\n"
    lines = []
    if tls.plain == "loopback":
        lines += [
            "# without TLS only on this machine (the platform, when it runs here)",
            f"listener {port} 127.0.0.1",
        ]
    lines += [
        "# TLS (version 1.2 or later, Mosquitto's default)",
        f"listener {tls.port} {host}".rstrip(),
        f"certfile {tls.cert}",
        f"keyfile {tls.key}",
    ]
    if tls.client_ca:
        lines += [
            "# clients must present a certificate signed by this CA (and log in as well)",
            f"cafile {tls.client_ca}",
            "require_certificate true",
        ]
    return "\n".join(lines) + "\n"


def config_snippet(
    folder: Path,
    *,
    port: int,
    plugin: str,
    host: str = "127.0.0.1",
    autosave: Autosave = Autosave(),
    tls: Tls | None = None,
) -> str:
    """The mosquitto.conf of the platform's broker. ``host`` is the address the listener
    binds (empty: every interface)."""
    _one_line("the broker's folder", str(folder))
    _one_line("the plugin's path", plugin)
    return f"""\
# smartcity: SensorThings MQTT with device accounts (dynamic security plugin)
per_listener_settings false
# anonymous clients may connect; the plugin lets them subscribe to v1.x/# and nothing else
allow_anonymous true
plugin {plugin}
plugin_opt_config_file {folder / STATE_FILE}
# the log, with subscribe and unsubscribe lines, also to $SYS/broker/log/...: the platform
# learns from it who subscribed to property and $select topics (only it may read them)
log_dest stderr
log_dest topic
# (not log_type information: it adds a line for every write of the database below)
log_type error
log_type warning
log_type notice
log_type subscribe
log_type unsubscribe
# zero loss: no limit on queued QoS 1 messages, kept across restarts
max_queued_messages 0
# the bridge acknowledges what it received after the commit that stored it: with the
# default of 20 messages in flight per client it could store only 20 per transaction
max_inflight_messages 1000
{autosave.lines(folder)}# listeners (the lines after a listener line belong to it)
{_listeners(host, port, tls)}"""


def _password_entry(password: str) -> dict[str, object]:
    """Mosquitto's stored form: PBKDF2-HMAC-SHA512, base64 salt and hash."""
    salt = secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, _ITERATIONS)
    return {
        "password": base64.b64encode(digest).decode(),
        "salt": base64.b64encode(salt).decode(),
        "iterations": _ITERATIONS,
    }


def initial_state(admin_user: str, admin_password: str) -> dict[str, object]:
    """The plugin's state with only the administrator, who may use $CONTROL and read
    everything (for diagnosis) but publish nowhere else."""
    acls = [
        {"acltype": kind, "topic": topic, "allow": True}
        for topic in _ADMIN_TOPICS
        for kind in ("publishClientSend", "publishClientReceive", "subscribePattern")
    ]
    acls += [
        {"acltype": "subscribePattern", "topic": "#", "allow": True},
        {"acltype": "subscribePattern", "topic": "$SYS/#", "allow": True},
    ]
    return {
        "clients": [
            {
                "username": admin_user,
                "textname": "smartcity broker administrator",
                **_password_entry(admin_password),
                "roles": [{"rolename": "admin"}],
            }
        ],
        "roles": [{"rolename": "admin", "acls": acls}],
        "groups": [],
        "defaultACLAccess": {
            "publishClientSend": False,
            "publishClientReceive": True,
            "subscribe": False,
            "unsubscribe": True,
        },
    }


def write(
    folder: Path,
    *,
    port: int,
    plugin: str,
    admin_user: str,
    admin_password: str,
    host: str = "127.0.0.1",
    autosave: Autosave = Autosave(),
    tls: Tls | None = None,
) -> Path:
    """Write mosquitto.conf and the plugin's state file into ``folder``; the state file is
    never overwritten (it holds every account). Returns the config file."""
    snippet = config_snippet(
        folder, port=port, plugin=plugin, host=host, autosave=autosave, tls=tls
    )
    if tls is not None and tls.missing():
        raise FileNotFoundError(f"TLS file(s) not found: {', '.join(tls.missing())}")
    folder.mkdir(parents=True, exist_ok=True)
    state = folder / STATE_FILE
    if state.exists():
        raise FileExistsError(f"{state} exists already; it holds the broker's accounts")
    descriptor = os.open(state, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(
            orjson.dumps(initial_state(admin_user, admin_password), option=orjson.OPT_INDENT_2)
        )
    conf = folder / "mosquitto.conf"
    conf.write_text(snippet)
    return conf
