"""What the platform's logs say about answers: a deliberate 5xx (501 for an option the API
does not implement, 503 while the server is busy or the store cannot write) is the
client's news, not a fault, so Django's request logger reports it as a WARNING; a fault
(500) is logged once, with its trace, by whoever caught it (core.middleware)."""

from __future__ import annotations

import logging

DELIBERATE = frozenset({501, 503})


class DeliberateAnswers(logging.Filter):
    """On ``django.request``: a deliberate 501 or 503 becomes a WARNING line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in DELIBERATE and record.levelno > logging.WARNING:
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True
