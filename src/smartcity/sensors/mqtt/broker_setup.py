"""The Mosquitto configuration the platform expects (``smartcity mqtt broker-config``): a
config snippet that loads the dynamic security plugin, and the plugin's first state file
with only the administrator, as ``mosquitto_ctrl dynsec init`` writes it. Everything else
(roles, the bridge's client, device clients) the platform then creates over
``$CONTROL/dynamic-security/v1`` (``smartcity mqtt sync``)."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

import orjson

STATE_FILE = "dynamic-security.json"
PLUGIN_PATHS = (
    "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
    "/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so",
    "/usr/lib/mosquitto_dynamic_security.so",
    "/usr/local/lib/mosquitto_dynamic_security.so",
)
_ITERATIONS = 100_000  # the administrator's password is chosen by a person
_ADMIN_TOPICS = ("$CONTROL/dynamic-security/#",)


def find_plugin() -> str:
    return next((path for path in PLUGIN_PATHS if Path(path).exists()), PLUGIN_PATHS[0])


def config_snippet(folder: Path, *, port: int, plugin: str, host: str = "") -> str:
    listener = f"listener {port} {host}".rstrip()
    return f"""\
# smartcity: SensorThings MQTT with device accounts (dynamic security plugin)
per_listener_settings false
{listener}
# anonymous clients may connect; the plugin lets them subscribe to v1.x/# and nothing else
allow_anonymous true
plugin {plugin}
plugin_opt_config_file {folder / STATE_FILE}
# the log, with subscribe and unsubscribe lines, also to $SYS/broker/log/...: the platform
# learns from it who subscribed to property and $select topics (only it may read them)
log_dest stderr
log_dest topic
log_type error
log_type warning
log_type notice
log_type information
log_type subscribe
log_type unsubscribe
# zero loss: no limit on queued QoS 1 messages, kept across restarts
max_queued_messages 0
# the bridge acknowledges what it received after the commit that stored it: with the
# default of 20 messages in flight per client it could store only 20 per transaction
max_inflight_messages 1000
persistence true
persistence_location {folder}/
"""


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
    folder: Path, *, port: int, plugin: str, admin_user: str, admin_password: str, host: str = ""
) -> Path:
    """Write mosquitto.conf and the plugin's state file into ``folder``; the state file is
    never overwritten (it holds every account). Returns the config file."""
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
    conf.write_text(config_snippet(folder, port=port, plugin=plugin, host=host))
    return conf
