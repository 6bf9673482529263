"""The SensorThings MQTT extension (OGC 18-088 clause 14) through an external broker."""
