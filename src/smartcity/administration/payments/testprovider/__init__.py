"""The test payment provider: an HTTP server run as its own process (see server.py)."""
