"""GTFS-Realtime: decoding a FeedMessage (decode), keeping it as the feed's realtime
(poll), and correcting departures by it as the reference's propagation rules say (apply)."""
