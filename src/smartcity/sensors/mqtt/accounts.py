"""Who may do what at the MQTT broker, enforced by the broker itself: MQTT does not tell a
subscriber (the bridge) who published a message, so the bridge cannot check it.

The platform manages Mosquitto's dynamic security plugin (:mod:`.dynsec`):

* every token that may write (sta:write, sta:admin, sta:observe) has a broker client
  ``token-<id>`` whose password is the token's secret. It is created when the token is,
  because only then is the secret known (the platform keeps only its hash), and deleted
  when the token is revoked. A sta:observe token may publish only to
  ``v1.1/Datastreams(n)/Observations`` (and ``v1.0/...``) of its Datastreams; a sta:write
  or sta:admin token to every create topic.
* anonymous clients (role ``sta-reader``) and every client may subscribe to ``v1.x/#``:
  the data is public. Nobody else may publish there.
* the bridge's own client (the user of SMARTCITY_MQTT_URL) subscribes to the create topics
  through the shared subscription and publishes
  announcements.
* ``$CONTROL/#`` stays with the administrator made by ``mosquitto_ctrl dynsec init``.

``broker_account`` of the token's grant (``sensors.grants``) records the state:
``provisioned``; ``unprovisioned`` when the broker was unreachable at creation
(``smartcity mqtt sync`` cannot create it without the secret, so it tells the operator to
rotate the token); ``delete-pending`` when it was unreachable at revocation (sync deletes
it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from smartcity.core import config
from smartcity.core.models import ApiToken
from smartcity.sensors import grants
from smartcity.sensors.mqtt import topics
from smartcity.sensors.mqtt.dynsec import BrokerUnavailable, Command, Dynsec, failures

log = logging.getLogger("smartcity.mqtt")
READER, WRITER, BRIDGE, ANONYMOUS = "sta-reader", "sta-writer", "sta-bridge", "sta-anonymous"
FULL_WRITE = frozenset({"sta:write", "sta:admin"})
PROVISIONED, UNPROVISIONED, DELETE_PENDING = "provisioned", "unprovisioned", "delete-pending"
# answers that mean "already so"; a device's createClient must not meet an existing client
# (it follows deleteClient), the bridge's may (modifyClient then sets its password)
_ALREADY = {
    "createRole": "already exists",
    "createGroup": "already exists",
    "disableClient": "not found",
    "deleteClient": "not found",
    "deleteRole": "not found",
}
_BASE_ALREADY = {**_ALREADY, "createClient": "already exists"}


def username(token: ApiToken) -> str:
    return f"token-{token.pk}"


def needs_account(token: ApiToken) -> bool:
    return bool(FULL_WRITE & set(token.scopes)) or "sta:observe" in token.scopes


def _acl(acltype: str, topic: str) -> Command:
    return {"acltype": acltype, "topic": topic, "allow": True}


def _role(name: str, acls: list[Command]) -> list[Command]:
    """Create the role, or give an existing one exactly these ACLs."""
    return [
        {"command": "createRole", "rolename": name, "acls": acls},
        {"command": "modifyRole", "rolename": name, "acls": acls},
    ]


def _device_role(token: ApiToken) -> tuple[str, list[Command]]:
    if FULL_WRITE & set(token.scopes):
        return WRITER, []
    name = username(token)
    acls = [
        _acl("publishClientSend", f"{version}/Datastreams({pk})/Observations")
        for pk in grants.datastreams_of(token)
        for version in topics.VERSIONS
    ]
    return name, _role(name, acls)


def _roles(token: ApiToken) -> tuple[list[Command], list[Command]]:
    """The role commands for the token's own role (if it has one), and its role list."""
    role, role_commands = _device_role(token)
    return role_commands, [{"rolename": role}, {"rolename": READER}]


def device_commands(token: ApiToken, secret: str) -> list[Command]:
    """Create (or reset) the token's broker client with its password and ACLs; connections
    with an earlier secret are closed."""
    role_commands, roles = _roles(token)
    name = username(token)
    return [
        *role_commands,
        {"command": "disableClient", "username": name},  # a rotated secret: old sessions end
        {"command": "deleteClient", "username": name},
        {
            "command": "createClient",
            "username": name,
            "password": secret,
            "roles": roles,
            "textname": token.name[:100],
        },
    ]


def access_commands(token: ApiToken) -> list[Command]:
    """Give an existing client the ACLs its token has now (its password stays)."""
    role_commands, roles = _roles(token)
    return [
        *role_commands,
        {"command": "modifyClient", "username": username(token), "roles": roles},
    ]


def removal_commands(token: ApiToken) -> list[Command]:
    """Disconnect the client (disableClient kicks it) and delete it and its own role."""
    name = username(token)
    return [
        {"command": "disableClient", "username": name},
        {"command": "deleteClient", "username": name},
        {"command": "deleteRole", "rolename": name},
    ]


def base_commands(bridge_user: str | None, bridge_password: str | None) -> list[Command]:
    """The shared roles, the anonymous group and the bridge's client; idempotent."""
    read = [_acl("subscribePattern", f"{v}/#") for v in topics.VERSIONS]
    write = [
        _acl("publishClientSend", f"{v}/{topic}")
        for v in topics.VERSIONS
        for topic in ("Observations", "+/Observations")
    ]
    bridge = [
        *read,
        *(_acl("subscribePattern", f"$share/+/{v}/#") for v in topics.VERSIONS),
        _acl("subscribePattern", "$SYS/broker/log/M/#"),  # who subscribed to what
        *(_acl("publishClientSend", f"{v}/#") for v in topics.VERSIONS),
    ]
    commands = [
        *_role(READER, read),
        *_role(WRITER, write),
        *_role(BRIDGE, bridge),
        {"command": "createGroup", "groupname": ANONYMOUS, "roles": [{"rolename": READER}]},
        {"command": "setAnonymousGroup", "groupname": ANONYMOUS},
    ]
    if bridge_user:
        client = {
            "username": bridge_user,
            "password": bridge_password or "",
            "roles": [{"rolename": BRIDGE}],
        }
        commands += [{"command": "createClient", **client}, {"command": "modifyClient", **client}]
    return commands


def provision(token: ApiToken, secret: str) -> None:
    """tokens.on_change hook: give a new (or rotated) writing token its broker client."""
    if not config.get("MQTT_ADMIN_URL") or not needs_account(token):
        return
    try:
        admin = Dynsec(config.get("MQTT_ADMIN_URL"))
        errors = failures(admin.run(device_commands(token, secret)), tolerated=_ALREADY)
    except (BrokerUnavailable, ValueError) as error:
        errors = [str(error)]
    state = UNPROVISIONED if errors else PROVISIONED
    if errors:
        log.warning(
            "MQTT account %s for token %s not created (%s); after the broker is back, "
            "rotate the token: smartcity token rotate %s",
            username(token),
            token.pk,
            "; ".join(errors),
            token.pk,
        )
    grants.set_broker_account(token, state)


def remove(token: ApiToken) -> None:
    """tokens.on_change hook: a revoked token's client can no longer connect."""
    if not config.get("MQTT_ADMIN_URL") or not grants.broker_account(token):
        return
    try:
        admin = Dynsec(config.get("MQTT_ADMIN_URL"))
        errors = failures(admin.run(removal_commands(token)), tolerated=_ALREADY)
    except (BrokerUnavailable, ValueError) as error:
        errors = [str(error)]
    state = DELETE_PENDING if errors else ""
    if errors:
        log.warning(
            "MQTT account %s not deleted (%s); run smartcity mqtt sync when the broker is back",
            username(token),
            "; ".join(errors),
        )
    grants.set_broker_account(token, state)


@dataclass
class SyncReport:
    deleted: list[str] = field(default_factory=list)
    to_rotate: list[ApiToken] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sync() -> SyncReport:
    """Bring the broker in line with the platform: shared roles and the bridge's client;
    each provisioned token's ACLs as its scopes are now; delete the clients of revoked
    tokens; disable those of tokens whose creation the broker missed (they need a new
    secret: ``smartcity token rotate``)."""
    if not config.get("MQTT_ADMIN_URL"):
        raise BrokerUnavailable("SMARTCITY_MQTT_ADMIN_URL is not set")
    admin = Dynsec(config.get("MQTT_ADMIN_URL"))
    report = SyncReport()
    bridge = urlsplit(config.get("MQTT_URL"))
    commands = base_commands(bridge.username, bridge.password)
    report.errors += failures(admin.run(commands), tolerated=_BASE_ALREADY)
    for token in ApiToken.objects.order_by("pk"):
        _sync_token(admin, token, report)
    return report


def _sync_token(admin: Dynsec, token: ApiToken, report: SyncReport) -> None:
    active = token.revoked_at is None and needs_account(token)
    state = grants.broker_account(token)
    if active and state == PROVISIONED:
        report.errors += failures(admin.run(access_commands(token)), tolerated=_ALREADY)
    elif active:
        report.errors += failures(admin.run(removal_commands(token)[:1]), tolerated=_ALREADY)
        report.to_rotate.append(token)
    elif state:
        errors = failures(admin.run(removal_commands(token)), tolerated=_ALREADY)
        report.errors += errors
        if not errors:
            report.deleted.append(username(token))
            grants.set_broker_account(token, "")
