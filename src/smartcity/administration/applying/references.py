"""Reference numbers for people (``KITA-2026-000123``): counted up per prefix and year in
one row (ReferenceCounter), inside the submitting transaction. On PostgreSQL the UPDATE
locks the row until the commit, so a second submitter waits and counts on from the
first's number; on SQLite writers take turns anyway (BEGIN IMMEDIATE). A first number of
a year that two submitters create at once is settled by the unique constraint."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from smartcity.administration.models import ReferenceCounter


def next_reference(prefix: str, year: int) -> str:
    with transaction.atomic():
        counter = ReferenceCounter.objects.filter(prefix=prefix, year=year)
        if not counter.update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.create(prefix=prefix, year=year, value=1)
            except IntegrityError:  # created meanwhile by another submitter
                counter.update(value=F("value") + 1)
        value = counter.values_list("value", flat=True).get()
    return f"{prefix}-{year}-{value:06d}"
