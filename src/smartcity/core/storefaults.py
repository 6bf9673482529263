"""A store that cannot take writes (read-only, or its disk full) answers a request's write
with 503 and a message, while reads go on: the store's refusal, recognised by its own
error code, becomes :class:`StoreUnavailable` (raised by the request's execute wrapper in
``core.deadline``) instead of a 500."""

from __future__ import annotations

from smartcity.core.errors import ApiError

# SQLite's primary result codes that mean "no write can succeed now"
SQLITE_CODES = frozenset({"SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN"})
# PostgreSQL's SQLSTATEs: read-only transaction (a standby, default_transaction_read_only),
# insufficient resources (disk full, out of memory, too many connections), I/O error
POSTGRES_STATES = frozenset({"25006", "53000", "53100", "53200", "53300", "58030"})


class StoreUnavailable(ApiError):
    status = 503
    headers = {"Retry-After": "60"}

    def __init__(self) -> None:
        super().__init__(
            "the store cannot take writes at the moment (it is read-only or its disk is "
            "full); nothing of this request was stored, and reading still works: please "
            "try again later"
        )


def unavailable(error: BaseException) -> bool:
    """Whether a database error says the store cannot write now, not that the request
    was wrong."""
    cause = error.__cause__ or error
    name = getattr(cause, "sqlite_errorname", None)
    if isinstance(name, str):  # an extended code (SQLITE_IOERR_WRITE) by its primary one
        return "_".join(name.split("_")[:2]) in SQLITE_CODES
    return getattr(cause, "sqlstate", None) in POSTGRES_STATES
