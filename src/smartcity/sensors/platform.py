"""What the sensors domain brings into the platform (see smartcity.core.contract): the
SensorThings API, LoRaWAN ingestion, MQTT, the public-source importers and the demo
sensors."""

from django.utils.translation import gettext_lazy as _

from smartcity.core.config import Setting
from smartcity.core.contract import Command, DemoLoader, Domain, Mount, NavLink, Scope

DOMAIN = Domain(
    name="sensors",
    mounts=(
        Mount("sta/", "smartcity.sensors.sta.urls", json=True),
        Mount("ingest/lorawan/", "smartcity.sensors.lorawan.urls", json=True),
    ),
    nav=(NavLink(_("Sensordaten (API)"), "/sta/v1.1/", order=90),),
    figures="smartcity.sensors.figures:platform_figures",
    scopes=(
        Scope("sta:write", "create, change and delete SensorThings entities and observations"),
        Scope(
            "sta:observe",
            "create Observations in the token's own Datastreams only (--datastream), "
            "over MQTT or HTTP",
        ),
        Scope(
            "sta:admin",
            "everything sta:write may, and deleting whole Things with their data",
            includes=("sta:write",),
        ),
    ),
    commands=(
        Command(
            "mqtt",
            "set up the MQTT broker's device accounts (broker-config, sync)",
            "smartcity.sensors.commands:configure_mqtt",
        ),
    ),
    importers=(
        "smartcity.sensors.importers.sensor_community:IMPORTER",
        "smartcity.sensors.importers.opensensemap:IMPORTER",
        "smartcity.sensors.importers.uba:IMPORTER",
    ),
    demo=DemoLoader("smartcity.sensors.demo:load_demo"),
    services=(
        "smartcity.sensors.mqtt.bridge:from_settings",
        "smartcity.sensors.demo.feeder:from_settings",
    ),
    sqlite_functions=("smartcity.sensors.sta.odata.sqlite_functions:register",),
    token_grants="smartcity.sensors.grants:GRANTS",  # noqa: S106 - a dotted path, no secret
    token_hooks=(
        "smartcity.sensors.mqtt.accounts:provision",
        "smartcity.sensors.mqtt.accounts:remove",
    ),
    settings=(
        Setting(
            "MQTT_URL",
            "",
            "MQTT broker, e.g. mqtt://127.0.0.1:1883, with the bridge's own account "
            "(mqtt://user:password@host:1883); empty turns MQTT off.",
        ),
        Setting(
            "MQTT_ANNOUNCE_QOS",
            "0",
            "QoS (0 or 1) of the announcements of created and updated entities; 1 costs the "
            "broker and the bridge two packets more per announcement (see sensorthings.md).",
            kind=int,
            choices=("0", "1"),
        ),
        Setting(
            "MQTT_ADMIN_URL",
            "",
            "The broker's dynamic-security administrator, mqtt://admin:password@host:1883: with "
            "it the platform gives each device token its broker account; empty: accounts are "
            "managed by hand.",
        ),
        Setting(
            "MQTT_TLS_CA",
            "",
            "PEM file of the CA(s) the platform trusts for an mqtts:// broker (MQTT_URL, "
            "MQTT_ADMIN_URL), e.g. the city's own CA; empty: the system's trusted CAs.",
        ),
        Setting(
            "MQTT_TLS_CLIENT_CERT",
            "",
            "PEM certificate the platform presents to an mqtts:// broker that asks for client "
            "certificates (MQTT_BROKER_TLS_CLIENT_CA); empty: none.",
        ),
        Setting(
            "MQTT_TLS_CLIENT_KEY",
            "",
            "Private key of MQTT_TLS_CLIENT_CERT (PEM); empty: the key is in that file.",
        ),
        Setting(
            "MQTT_BROKER_HOST",
            "127.0.0.1",
            "Address the broker listens on (smartcity mqtt broker-config): 127.0.0.1 takes only "
            "clients on its own machine; for devices from the network the machine's address, "
            "0.0.0.0 (IPv4) or empty (every interface). With TLS, the TLS listener's.",
        ),
        Setting(
            "MQTT_BROKER_PORT",
            "1883",
            "Port of the broker's plain (non-TLS) listener (smartcity mqtt broker-config).",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MQTT_BROKER_AUTOSAVE",
            "1",
            "The broker writes its sessions and queued QoS 1 messages to disk every so many "
            "seconds, or once this many changes added up (MQTT_BROKER_AUTOSAVE_UNIT). A crash "
            "loses at most what it acknowledged since (see install.md).",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MQTT_BROKER_AUTOSAVE_UNIT",
            "seconds",
            "seconds: MQTT_BROKER_AUTOSAVE is a time; changes: it counts changes (queued "
            "messages, acknowledgements; autosave_on_changes true), 1 saving after every "
            "change, which loses less but costs most of the broker's rate.",
            choices=("changes", "seconds"),
        ),
        Setting(
            "MQTT_BROKER_TLS_CERT",
            "",
            "PEM certificate (with its chain) of the broker's TLS listener; with "
            "MQTT_BROKER_TLS_KEY set, broker-config adds the listener. Empty: no TLS.",
        ),
        Setting("MQTT_BROKER_TLS_KEY", "", "Private key (PEM) of MQTT_BROKER_TLS_CERT."),
        Setting(
            "MQTT_BROKER_TLS_CLIENT_CA",
            "",
            "PEM file of the CA whose certificates clients of the TLS listener must present "
            "(require_certificate); empty: clients log in with user name and password only.",
        ),
        Setting(
            "MQTT_BROKER_TLS_PORT",
            "8883",
            "Port of the broker's TLS listener.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "MQTT_BROKER_PLAIN_LISTENER",
            "loopback",
            "With TLS: the plain listener (MQTT_BROKER_PORT) only on 127.0.0.1, for the "
            "platform on the broker's machine (loopback), or none (off).",
            choices=("loopback", "off"),
        ),
        Setting(
            "HEALTH_STALE_HOURS",
            "3",
            'The back office\'s sensor health view calls a Datastream "veraltet" when its '
            "newest value is older than this (unless its properties give an expectedInterval "
            "in seconds: then three times that).",
            kind=float,
            minimum=0,
        ),
        Setting(
            "HEALTH_SILENT_HOURS",
            "24",
            '... and "stumm" when it has no value or none for longer than this.',
            kind=float,
            minimum=0,
        ),
        Setting(
            "STA_MAX_TOP",
            "1000",
            "Largest page size a SensorThings client may ask for with $top.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_LARGE_ANSWERS",
            "2",
            "How many SensorThings answers of more than 1000 entities (or with $expand) one "
            "server process builds at once; each may hold up to the entity budget in "
            "memory, so this bounds what many such requests together take.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_LARGE_ANSWER_WAIT",
            "1",
            "Seconds a request waits for one of SMARTCITY_STA_LARGE_ANSWERS before it is "
            "answered 503 with Retry-After.",
            kind=float,
            minimum=0,
        ),
        Setting(
            "STA_MAX_BATCH_PARTS",
            "1000",
            "Most requests one SensorThings $batch may hold (change sets' requests "
            "included); more gets a 413 while the batch is read, before any part runs.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_MAX_ANSWER_BYTES",
            "67108864",
            "Most text (names, descriptions, properties, results; in bytes) one SensorThings "
            "answer may read from the store, all parts of a $batch together; the rows are "
            "read in chunks and the request gets a 400 once it is exceeded.",
            kind=int,
            minimum=1024,
        ),
        Setting(
            "STA_MAX_ENTITIES",
            "20000",
            "Most entities one SensorThings answer may hold, top-level and expanded together "
            "(all parts of a $batch together); a request that would exceed it gets a 400 "
            "before the answer is built.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_MAX_EXPAND_DEPTH",
            "5",
            "How deep a SensorThings $expand may nest (Datastreams/Observations is two "
            "levels); deeper gets a 400 before anything is read.",
            kind=int,
            minimum=0,
        ),
        Setting(
            "STA_MAX_QUERY_TERMS",
            "2500",
            "Most terms (operators, properties, literals) a SensorThings $filter or $orderby "
            "may have; more gets a 400 (a store refuses statements nested too deeply).",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_MAX_ORDERBY_KEYS",
            "16",
            "Most keys a SensorThings $orderby may sort by; more gets a 400.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_DEFAULT_TOP",
            "100",
            "SensorThings page size when the client gives no $top.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_MAX_BODY_BYTES",
            "33554432",
            "Largest request body accepted by the SensorThings API (bytes); larger gets 413.",
            kind=int,
            minimum=1,
        ),
        Setting(
            "STA_COUNT_MODE",
            "exact",
            "exact: $count is always exact. estimate: the count of a whole, unfiltered "
            "collection over STA_COUNT_ESTIMATE_THRESHOLD rows comes from the planner's "
            "statistics (PostgreSQL; SQLite always counts exactly).",
            choices=("exact", "estimate"),
        ),
        Setting(
            "STA_COUNT_ESTIMATE_THRESHOLD",
            "1000000",
            "Row count above which estimate mode answers $count from statistics.",
            kind=int,
            minimum=0,
        ),
        Setting(
            "DEMO_FEED",
            "0",
            "Seconds between new values the server writes for a few demo sensors, so the demo "
            "city looks live (make run sets 10); 0 turns it off. Only for demo installations.",
            kind=float,
            minimum=0,
        ),
    ),
)
