"""The demo city: a believable Hamm in the SensorThings store (``load_demo``)."""

from smartcity.sensors.demo.loader import load_demo
from smartcity.sensors.demo.places import DISTRICTS, HAMM_BBOX, PLACES

__all__ = ["DISTRICTS", "HAMM_BBOX", "PLACES", "load_demo"]
