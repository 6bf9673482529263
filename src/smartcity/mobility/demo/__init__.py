"""The mobility of the Hamm demo city (``smartcity demo``): a timetable with realtime,
sharing, charging, parking and the Mobilstation at the Hauptbahnhof, all marked as demo."""

from smartcity.mobility.demo.loader import load_demo

__all__ = ["load_demo"]
