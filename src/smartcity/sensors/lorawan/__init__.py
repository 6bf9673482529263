"""LoRaWAN network servers (ChirpStack, The Things Stack) pushing uplinks: parsing,
mapping to Datastreams, and the webhook views."""
