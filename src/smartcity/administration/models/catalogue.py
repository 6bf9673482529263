"""The service catalogue's tables: services described FIM-style (what, who, documents,
fees, duration, legal basis, online or in person, where and when), the offices where people
go, the laws a service rests on, and the life situations (Lebenslagen) that group them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from smartcity.administration.catalogue.folding import search_text

LEIKA_KEY = RegexValidator(
    r"^\d{14}$", _("Ein Leistungsschlüssel (LeiKa) hat 14 Ziffern, z. B. 99050012104000.")
)

# paths of /service/ itself
RESERVED_KEYS = frozenset({"antrag", "zahlung", "lebenslage", "schalter", "meine-antraege"})


def not_reserved(key: str) -> None:
    if key in RESERVED_KEYS:
        raise ValidationError(
            _("„%(key)s“ ist ein Teil der Adresse /service/ und kann keine Kennung sein."),
            params={"key": key},
        )


class Office(models.Model):
    """A place where people go for a service (FIM: zuständige Stelle, Ansprechpunkt),
    with its address, opening hours and contact."""

    key = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    address = models.TextField(_("Anschrift"), help_text=_("Straße, Hausnummer, PLZ und Ort"))
    opening_hours = models.TextField(
        _("Öffnungszeiten"), blank=True, default="", help_text=_("Eine Zeile je Zeitraum")
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, default="")
    email = models.EmailField(_("E-Mail"), blank=True, default="")
    accessibility = models.TextField(
        _("Barrierefreiheit"),
        blank=True,
        default="",
        help_text=_("Zugang, Aufzug, Parkplätze, Hilfen vor Ort"),
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name = _("Anlaufstelle")
        verbose_name_plural = _("Anlaufstellen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Retention classes of case files: key, label, years after the file is closed.
RETENTION_YEARS = {"kurz": 5, "standard": 10, "lang": 30}
RETENTION_CLASSES = [
    ("kurz", _("kurz (5 Jahre)")),
    ("standard", _("Standard (10 Jahre)")),
    ("lang", _("lang (30 Jahre)")),
]


class Service(models.Model):
    """One service (Leistung, in FIM's words) that people can apply for, with the form
    they fill in (docs/administration.md#forms) and the team that works its cases."""

    key = models.SlugField(_("Kennung"), max_length=80, unique=True, validators=[not_reserved])
    name = models.CharField(_("Name"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True, default="")
    team = models.ForeignKey(
        "core.Team", verbose_name=_("Team"), null=True, blank=True, on_delete=models.PROTECT
    )
    online = models.BooleanField(_("online beantragbar"), default=True)
    in_person = models.BooleanField(
        _("vor Ort beantragbar"),
        default=True,
        help_text=_("Der Antrag kann auch persönlich in der Anlaufstelle gestellt werden."),
    )
    guest = models.BooleanField(
        _("ohne Konto beantragbar"),
        default=False,
        help_text=_("Gäste dürfen den Antrag ohne Konto stellen."),
    )
    form = models.JSONField(
        _("Formular"), default=dict, blank=True, help_text=_("docs/administration.md#forms")
    )
    published = models.BooleanField(_("veröffentlicht"), default=True)
    # The description, in FIM's modules (Leistungsbeschreibung), in plain language
    description = models.TextField(
        _("Was ist das?"), blank=True, default="", help_text=_("Absätze durch Leerzeilen")
    )
    eligibility = models.TextField(_("Wer kann den Antrag stellen?"), blank=True, default="")
    documents = models.TextField(
        _("Welche Unterlagen brauche ich?"),
        blank=True,
        default="",
        help_text=_("Eine Unterlage je Zeile"),
    )
    fees = models.TextField(
        _("Was kostet das?"),
        blank=True,
        default="",
        help_text=_("Für Menschen beschrieben; was berechnet wird, steht in der Gebührenordnung"),
    )
    duration = models.TextField(_("Wie lange dauert es?"), blank=True, default="")
    deadlines = models.TextField(_("Fristen"), blank=True, default="")
    procedure = models.TextField(
        _("Wie läuft es ab?"), blank=True, default="", help_text=_("Ein Schritt je Zeile")
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("Anlaufstelle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    # the case file (E-Akte, administration/casefile/): where it is filed, how long it is kept
    file_plan = models.CharField(
        _("Aktenplan-Nr."), max_length=40, blank=True, default="", help_text=_("z. B. 51.20.01")
    )
    retention_class = models.CharField(
        _("Aufbewahrungsklasse"), max_length=12, choices=RETENTION_CLASSES, default="standard"
    )
    room = models.CharField(_("Raum"), max_length=120, blank=True, default="")
    contact = models.TextField(
        _("Ansprechpartner"),
        blank=True,
        default="",
        help_text=_("Wer hilft weiter; Telefon und E-Mail der Anlaufstelle, wenn leer"),
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, default="")
    email = models.EmailField(_("E-Mail"), blank=True, default="")
    keywords = models.TextField(
        _("Suchbegriffe"),
        blank=True,
        default="",
        help_text=_("Durch Kommas getrennt, z. B. Kindergarten, Kindertagesstätte"),
    )
    leika_key = models.CharField(
        _("Leistungsschlüssel (LeiKa)"),
        max_length=14,
        blank=True,
        default="",
        validators=[LEIKA_KEY],
        help_text=_("Der FIM-Leistungsschlüssel, wo bekannt"),
    )
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)
    search = models.TextField(_("Suchtext"), editable=False, default="")

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search = search_text(self.name, self.summary, self.keywords)
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "summary", "keywords"} & set(fields):
            kwargs["update_fields"] = {*fields, "search"}
        super().save(*args, **kwargs)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def document_list(self) -> list[str]:
        return _lines(self.documents)

    @property
    def procedure_steps(self) -> list[str]:
        return _lines(self.procedure)


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-•").strip() for line in text.splitlines() if line.strip()]


class LegalBasis(models.Model):
    """A law or regulation a service rests on (FIM: Handlungsgrundlage), with its link."""

    service = models.ForeignKey(
        Service, verbose_name=_("Leistung"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    title = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("z. B. § 24 SGB VIII"))
    url = models.URLField(_("Link"), blank=True, default="")
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Rechtsgrundlage")
        verbose_name_plural = _("Rechtsgrundlagen")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class LifeSituation(models.Model):
    """A situation in life (Lebenslage, e.g. "Ein Kind kommt zur Welt") and the services
    people in it usually need."""

    key = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True, default="")
    services = models.ManyToManyField(
        Service, verbose_name=_("Leistungen"), blank=True, related_name="life_situations"
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_demo = models.BooleanField(_("Demo-Daten"), default=False)

    class Meta:
        verbose_name = _("Lebenslage")
        verbose_name_plural = _("Lebenslagen")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
