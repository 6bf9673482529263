"""The demo services' forms, in the platform's form format (docs/administration.md)."""

from __future__ import annotations

from smartcity.administration.demo.fields import (
    Schema,
    address,
    area,
    choice,
    date,
    email,
    form,
    group,
    number,
    person,
    phone,
    text,
    upload,
    yes_no,
)

HOURS = [("25", "25 Stunden pro Woche"), ("35", "35 Stunden pro Woche"),
         ("45", "45 Stunden pro Woche")]  # fmt: skip
RELATION = [("selbst", "Die Urkunde ist für mich selbst"), ("eltern", "Ich bin Mutter oder Vater"),
            ("kind", "Ich bin ein Kind der Person"), ("ehe", "Ich bin mit der Person verheiratet"),
            ("andere", "Anderes berechtigtes Interesse")]  # fmt: skip
PURPOSE = [("privat", "Für private Zwecke"), ("elterngeld", "Für das Elterngeld (gebührenfrei)"),
           ("kindergeld", "Für das Kindergeld (gebührenfrei)"),
           ("mutterschaft", "Für das Mutterschaftsgeld (gebührenfrei)"),
           ("behoerde", "Für eine andere Behörde"), ("ausland", "Für das Ausland")]  # fmt: skip


def kita_place() -> Schema:
    """Three steps, one upload: the child, the care wanted, the parents with proof of work."""
    return form(
        {
            "kind": person("Ihr Kind"),
            "beginn": date("Ab wann brauchen Sie den Platz?",
                           description="Bitte planen Sie etwa sechs Monate Vorlauf ein."),
            "betreuung": choice("Betreuungsumfang", HOURS),
            "wunsch_kitas": {"type": "array", "title": "Wunsch-Kitas", "minItems": 0,
                             "maxItems": 3, "items": text("Name der Kita", max_length=100),
                             "description": "Bis zu drei Kitas, die Sie sich wünschen."},
            "eltern": group("Sorgeberechtigte Person", {
                **person("", prefill=True, birth=False)["properties"],
                "email": email(), "telefon": phone(),
            }, ["vorname", "familienname", "email"]),
            "anschrift": address("Ihre Anschrift"),
            "nachweis": upload("Arbeitgeberbescheinigung",
                               "Nur für 45 Stunden: eine Bescheinigung Ihres Arbeitgebers "
                               "über Ihre Arbeitszeit (PDF, JPEG oder PNG, bis 10 MB)."),
        },
        ["kind", "beginn", "betreuung", "eltern", "anschrift"],
        [("kind", "Ihr Kind", ["kind"]),
         ("betreuung", "Betreuung", ["beginn", "betreuung", "wunsch_kitas"]),
         ("eltern", "Sorgeberechtigte und Nachweis", ["eltern", "anschrift", "nachweis"])],
    )  # fmt: skip


def birth_certificate() -> Schema:
    return form(
        {
            "person": group("Wessen Geburtsurkunde?", {
                **person("", birth=True)["properties"],
                "geburtsort": text("Geburtsort", max_length=60, default="Hamm"),
            }),
            "beziehung": choice("Wer beantragt?", RELATION),
            "zweck": choice("Wofür brauchen Sie die Urkunde?", PURPOSE),
            "anzahl": number("Anzahl der Urkunden", minimum=1, maximum=10, default=1,
                             description="Jede weitere Urkunde im selben Antrag kostet weniger."),
            "mehrsprachig": yes_no("Zusätzlich als internationale (mehrsprachige) Urkunde"),
            "email": email(),
            "versand": address("Versandanschrift"),
        },
        ["person", "beziehung", "zweck", "anzahl", "email", "versand"],
        [("person", "Person", ["person", "beziehung"]),
         ("urkunde", "Urkunde", ["zweck", "anzahl", "mehrsprachig"]),
         ("versand", "Versand", ["email", "versand"])],
    )  # fmt: skip


def child_passport() -> Schema:
    return form(
        {
            "kind": group("Ihr Kind", {
                **person("")["properties"],
                "groesse": number("Körpergröße in cm", minimum=30, maximum=200),
                "augenfarbe": choice("Augenfarbe", [("blau", "blau"), ("gruen", "grün"),
                                     ("braun", "braun"), ("grau", "grau"), ("andere", "andere")]),
            }),
            "foto": upload("Biometrisches Passfoto", "Ein aktuelles Foto nach den Vorgaben für "
                           "Passfotos (JPEG oder PNG, bis 10 MB).",
                           accept=["image/jpeg", "image/png"]),
            "eltern": person("Antragstellende sorgeberechtigte Person", prefill=True, birth=False),
            "zustimmung": yes_no("Der andere sorgeberechtigte Elternteil ist einverstanden",
                                 description="Bringen Sie seine schriftliche Zustimmung und eine "
                                             "Kopie seines Ausweises zum Termin mit."),
            "email": email(),
        },
        ["kind", "foto", "eltern", "zustimmung", "email"],
        [("kind", "Ihr Kind", ["kind", "foto"]),
         ("eltern", "Sorgeberechtigte", ["eltern", "zustimmung", "email"])],
    )  # fmt: skip


def parental_allowance() -> Schema:
    months = {
        "type": "array",
        "title": "Lebensmonate des Kindes mit Elterngeld",
        "description": "Die Lebensmonate, für die Sie Elterngeld möchten (1 bis 32).",
        "minItems": 1,
        "maxItems": 28,
        "items": number("Lebensmonat", minimum=1, maximum=32),
    }
    return form(
        {
            "kind": person("Ihr Kind"),
            "antragsteller": group("Antragstellende Person", {
                **person("", prefill=True)["properties"],
                "steuer_id": text("Steuerliche Identifikationsnummer", max_length=11,
                                  min_length=11, pattern=r"^[0-9]{11}$"),
                "email": email(),
            }),
            "variante": choice("Welches Elterngeld?", [("basis", "Basiselterngeld"),
                               ("plus", "ElterngeldPlus"), ("gemischt", "Beides kombiniert")]),
            "monate": months,
            "einkommen": upload("Einkommensnachweise", "Lohn- oder Gehaltsabrechnungen der "
                                "letzten zwölf Monate vor der Geburt, in einer Datei."),
        },
        ["kind", "antragsteller", "variante", "monate", "einkommen"],
        [("kind", "Ihr Kind", ["kind"]),
         ("person", "Ihre Angaben", ["antragsteller"]),
         ("bezug", "Bezug und Nachweise", ["variante", "monate", "einkommen"])],
    )  # fmt: skip


def legal_assistance() -> Schema:
    return form(
        {
            "kind": person("Ihr Kind"),
            "antragsteller": group("Antragstellender Elternteil", {
                **person("", prefill=True, birth=False)["properties"],
                "email": email(), "telefon": phone(),
            }, ["vorname", "familienname", "email"]),
            "anliegen": choice("Wobei soll das Jugendamt helfen?", [
                ("vaterschaft", "Die Vaterschaft feststellen"),
                ("unterhalt", "Den Unterhalt geltend machen"),
                ("beides", "Beides")]),
            "hinweise": area("Was sollen wir noch wissen?", max_length=1500),
        },
        ["kind", "antragsteller", "anliegen"],
        [("kind", "Ihr Kind", ["kind"]),
         ("anliegen", "Ihr Anliegen", ["antragsteller", "anliegen", "hinweise"])],
    )  # fmt: skip


def maintenance_advance() -> Schema:
    other = group(
        "Der andere Elternteil",
        {
            **person("", birth=False)["properties"],
            "anschrift_bekannt": yes_no("Die Anschrift ist mir bekannt"),
            "anschrift": area("Anschrift, soweit bekannt", max_length=300),
        },
        ["anschrift_bekannt"],
    )
    return form(
        {
            "kind": person("Ihr Kind"),
            "antragsteller": group("Antragstellender Elternteil", {
                **person("", prefill=True)["properties"], "email": email(),
                "anschrift": address("Ihre Anschrift"),
            }),
            "anderer_elternteil": other,
            "zahlt_unterhalt": yes_no("Der andere Elternteil zahlt zurzeit Unterhalt"),
            "geburtsurkunde": upload("Geburtsurkunde des Kindes", "Eine Kopie genügt "
                                     "(PDF, JPEG oder PNG, bis 10 MB)."),
        },
        ["kind", "antragsteller", "anderer_elternteil", "zahlt_unterhalt", "geburtsurkunde"],
        [("kind", "Ihr Kind", ["kind"]),
         ("eltern", "Eltern", ["antragsteller", "anderer_elternteil", "zahlt_unterhalt"]),
         ("nachweis", "Nachweis", ["geburtsurkunde"])],
    )  # fmt: skip


FORMS = {
    "kita-platz": kita_place,
    "geburtsurkunde": birth_certificate,
    "kinderreisepass": child_passport,
    "elterngeld": parental_allowance,
    "beistandschaft": legal_assistance,
    "unterhaltsvorschuss": maintenance_advance,
}
