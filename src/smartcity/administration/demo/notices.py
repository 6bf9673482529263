"""The demo notice templates (docs/administration.md#bescheide): a Kita-Platz granted and
refused, and the fee notice of a birth certificate. The default legal remedy (the action
at the Verwaltungsgericht Arnsberg, notices/remedy.py) fits all three: the Kita-Platz
is youth welfare (SGB VIII), a matter for the administrative court; a birth
certificate's fee notice is a fee decision under the GebG NRW. Idempotent: a template
the city has taken over (``is_demo`` unset) is left as it is."""

from __future__ import annotations

from typing import Any

from smartcity.administration.models import NoticeTemplate, Service

KITA = {"recipient_field": "eltern", "address_field": "anschrift", "with_fees": False}
TEMPLATES: list[dict[str, Any]] = [
    {
        "service": "kita-platz", "kind": NoticeTemplate.GRANTED, **KITA,
        "title": "Bescheid über einen Betreuungsplatz (${aktenzeichen})",
        "body": "Sehr geehrte Damen und Herren,\n\n"
        "auf Ihren Antrag vom $eingang bewilligen wir Ihrem Kind einen Platz in einer "
        "Kindertageseinrichtung nach § 24 SGB VIII.\n\n$entscheidung\n\n"
        "Bitte melden Sie sich in den nächsten zwei Wochen bei der Kita, um den Vertrag "
        "zu schließen.\n\nMit freundlichen Grüßen\nIhr Familienbüro",
    },
    {
        "service": "kita-platz", "kind": NoticeTemplate.REFUSED, **KITA,
        "title": "Ablehnung Ihres Antrags auf einen Betreuungsplatz (${aktenzeichen})",
        "body": "Sehr geehrte Damen und Herren,\n\n"
        "Ihren Antrag vom $eingang auf einen Platz in einer Kindertageseinrichtung "
        "müssen wir leider ablehnen.\n\nBegründung:\n$entscheidung\n\n"
        "Gern beraten wir Sie zu Plätzen in der Kindertagespflege.\n\n"
        "Mit freundlichen Grüßen\nIhr Familienbüro",
    },
    {
        "service": "geburtsurkunde", "kind": NoticeTemplate.FEE,
        "recipient_field": "person", "address_field": "versand", "with_fees": True,
        "title": "Gebührenbescheid zu Ihrem Antrag ${aktenzeichen}",
        "body": "Sehr geehrte Damen und Herren,\n\n"
        "für die beantragte Geburtsurkunde setzen wir nach dem Gebührengesetz NRW und "
        "der Allgemeinen Verwaltungsgebührenordnung NRW eine Gebühr von $gebuehr fest.\n\n"
        "$entscheidung\n\nMit freundlichen Grüßen\nIhr Standesamt",
    },
]  # fmt: skip


def load() -> int:
    """Writes the demo templates; returns how many were added."""
    added = 0
    for record in TEMPLATES:
        values = {k: v for k, v in record.items() if k not in ("service", "kind")}
        service = Service.objects.get(key=record["service"])
        found = NoticeTemplate.objects.filter(service=service, kind=record["kind"]).first()
        if found is not None and not found.is_demo:
            continue
        template = found or NoticeTemplate(service=service, kind=record["kind"])
        for name, value in {**values, "is_demo": True}.items():
            setattr(template, name, value)
        template.full_clean()
        template.save()
        added += found is None
    return added
