"""Permission scopes of API tokens (kept apart from the models so the CLI can list them
before Django is set up)."""

KNOWN_SCOPES = {
    "sta:write": "create, change and delete SensorThings entities and observations",
    "sta:observe": "create Observations in the token's own Datastreams only (--datastream), "
    "over MQTT or HTTP",
    "sta:admin": "everything sta:write may, and deleting whole Things with their data",
}
