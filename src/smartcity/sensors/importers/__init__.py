"""Importers that map public and city sources to SensorThings entities, idempotently."""
