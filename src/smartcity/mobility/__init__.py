"""Mobility: every way to get around the city (buses and trains, bike and scooter sharing,
car sharing, charging, parking, traffic signals) on one map and one API, each offer with
the age of what is known about it."""
