"""GBFS 2.3 and 3.x (bike, scooter, moped and car sharing) from a system's ``gbfs.json``:
discovery (``discovery``), the official JSON Schemas and their check (``validation``),
fetching each file as its ttl says (``documents``, ``system``), the mapping of stations
and vehicles to offers (``stations``, ``vehicles``), the importer ``gbfs`` (``importer``)
and what the API answers of a system (``api``). See docs/mobility.md, "GBFS"."""
