"""The SensorThings API's request handling: paths, query options, reads, serialization,
$batch, OData $filter, and the one write path of a POST (posting)."""
