"""GTFS static: reading a timetable archive in bounded memory (tables), loading it cropped
to the city's area (load), and making it the one in use atomically (swap); the importer
(importer) ties them together."""
