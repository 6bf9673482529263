"""Write the demo catalogue: the Familienrathaus Hamm with its teams, six services with
their forms and legal bases, and the life situations. Idempotent: every record is found by
its key; one still marked as demo data is brought up to date, one the city has taken over
(``is_demo`` unset) is left as it is. The counts say what was added."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from smartcity.administration.demo import notices
from smartcity.administration.demo.forms import FORMS
from smartcity.administration.demo.services import OFFICE, SERVICES, SITUATIONS, TEAMS
from smartcity.administration.models import FeeSchedule, LegalBasis, LifeSituation, Office, Service
from smartcity.core.models import Team

Progress = Callable[[str, int, int], None]
DESCRIBED = ("summary", "keywords", "description", "eligibility", "documents", "fees",
             "duration", "deadlines", "procedure", "room")  # fmt: skip


def load_demo(*, days: int = 28, progress: Progress | None = None) -> dict[str, int]:
    """Build the demo catalogue (``days`` is the sensors' and is not used here)."""
    report = progress or (lambda stage, done, total: None)
    report("Verwaltung: Familienrathaus", 0, 2)
    counts = {"teams": 0, "services": 0, "life situations": 0, "fee schedules": 0}
    with transaction.atomic():
        for key, name in TEAMS.items():
            counts["teams"] += Team.objects.get_or_create(key=key, defaults={"name": name})[1]
        office = _office()
        for record in SERVICES:
            counts["services"] += _service(record, office)
        counts["life situations"] += _situations()
        counts["fee schedules"] += _fees()
        counts["notice templates"] = notices.load()
    report("Verwaltung: fertig", 2, 2)
    return counts


# Gebühren nach der Gebührenordnung (demo values): a birth certificate 12 EUR, each further
# copy in the same application 6 EUR, free for Elterngeld, Kindergeld and Mutterschaftsgeld
# (§ 64 Abs. 1 EStG, § 64 BEEG); an international certificate 12 EUR more
FEES = {
    "geburtsurkunde": {"lines": [
        {"key": "urkunde", "label": "Geburtsurkunde", "amount": 1200, "further": 600,
         "quantity": {"field": "anzahl"},
         "free_if": {"field": "zweck", "in": ["elterngeld", "kindergeld", "mutterschaft"]}},
        {"key": "international", "label": "Internationale Geburtsurkunde", "amount": 1200,
         "when": {"field": "mehrsprachig", "eq": True}},
    ]},
}  # fmt: skip


def _fees() -> int:
    """The demo services' fee schedules (a schedule the city has changed is kept)."""
    added = 0
    for key, rules in FEES.items():
        service = Service.objects.get(key=key)
        schedule, created = FeeSchedule.objects.get_or_create(
            service=service, step="", defaults={"rules": rules}
        )
        if created:
            schedule.full_clean()
        added += created
    return added


def _office() -> Office:
    found, created = Office.objects.get_or_create(
        key=OFFICE["key"], defaults={**OFFICE, "is_demo": True}
    )
    if not created and found.is_demo:
        Office.objects.filter(pk=found.pk).update(**OFFICE)
    return found


def _service(record: dict[str, Any], office: Office) -> bool:
    """Create or refresh one demo service; True when it was added."""
    values: dict[str, Any] = {name: record.get(name, "") for name in DESCRIBED}
    values.update(
        name=record["name"], online=record.get("online", True),
        in_person=record.get("in_person", True), guest=record.get("guest", False),
        form=FORMS[record["key"]](), office=office, is_demo=True, published=True,
        team=Team.objects.get(key=record["team"]),
    )  # fmt: skip
    found = Service.objects.filter(key=record["key"]).first()
    if found is not None and not found.is_demo:
        return False
    service = found or Service(key=record["key"])
    for name, value in values.items():
        setattr(service, name, value)
    service.full_clean()
    service.save()
    service.legal_bases.all().delete()
    LegalBasis.objects.bulk_create(
        LegalBasis(service=service, title=title, url=url, order=index)
        for index, (title, url) in enumerate(record["laws"])
    )
    return found is None


def _situations() -> int:
    added = 0
    services = {s.key: s for s in Service.objects.filter(key__in=FORMS)}
    for order, (key, name, summary, members) in enumerate(SITUATIONS):
        found, created = LifeSituation.objects.get_or_create(
            key=key, defaults={"name": name, "summary": summary, "order": order, "is_demo": True}
        )
        added += created
        if found.is_demo:
            found.services.set([services[m] for m in members if m in services])
    return added
