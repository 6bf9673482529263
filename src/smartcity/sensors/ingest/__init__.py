"""Every write of Observations: the single POST's lean write, CreateObservations and
bulk groups, the column and row builders, the one SQLite writer, and the Datastream
extents kept current as observations arrive."""
