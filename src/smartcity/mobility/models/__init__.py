"""The mobility tables: feeds and their health, offers (one table for every mode, so that
"what is near me" is one query), hubs, the files of GBFS systems, and the timetable of
public transport (GTFS)."""

from smartcity.mobility.models.feeds import Feed, Hub, Offer
from smartcity.mobility.models.gbfs import GbfsFile
from smartcity.mobility.models.realtime import ServiceAlert, TripUpdate
from smartcity.mobility.models.transit import (
    Agency,
    Route,
    Service,
    ServiceDate,
    Stop,
    StopTime,
    TransitVersion,
    Trip,
)

__all__ = [
    "Agency",
    "Feed",
    "GbfsFile",
    "Hub",
    "Offer",
    "Route",
    "Service",
    "ServiceAlert",
    "ServiceDate",
    "Stop",
    "StopTime",
    "TransitVersion",
    "Trip",
    "TripUpdate",
]
