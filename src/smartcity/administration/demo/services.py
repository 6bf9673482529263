"""What the demo catalogue says: the Familienrathaus Hamm, its teams, six family services
described FIM-style in plain language, and the life situations they belong to. Invented
where it is local (rooms, hours, contact), true to the federal and state law it cites;
every record is marked as demo data and the pages say so."""

from __future__ import annotations

from typing import Any

GII = "https://www.gesetze-im-internet.de"
TEAMS = {
    "standesamt": "Standesamt",
    "elterngeldstelle": "Elterngeldstelle",
    "familienbuero": "Familienbüro",
    "fruehe-hilfen": "Frühe Hilfen / Jugendamt",
}
OFFICE: dict[str, Any] = {
    "key": "familienrathaus-hamm",
    "name": "Familienrathaus Hamm",
    "address": "Theodor-Heuss-Platz 16\n59065 Hamm",
    "opening_hours": "Montag bis Freitag 8:00 bis 12:30 Uhr\nDonnerstag zusätzlich 14:00 bis "
    "17:30 Uhr\nUnd nach Vereinbarung",
    "phone": "02381 17-0",
    "email": "familienrathaus@example.org",
    "accessibility": "Stufenloser Eingang, Aufzug zu allen Etagen, ein barrierefreies WC. "
    "Wenn Sie Gebärdensprache brauchen, sagen Sie es uns bei der Terminvereinbarung.",
}
SITUATIONS = [
    ("ein-kind-kommt-zur-welt", "Ein Kind kommt zur Welt",
     "Urkunden, Elterngeld, Betreuung und Hilfe für die ersten Jahre.",
     ["geburtsurkunde", "elterngeld", "kita-platz", "kinderreisepass", "beistandschaft"]),
    ("familie-und-kinderbetreuung", "Familie und Kinderbetreuung",
     "Ein Platz in der Kita, finanzielle Hilfen und Beratung für Familien.",
     ["kita-platz", "elterngeld", "unterhaltsvorschuss", "beistandschaft"]),
    ("alleinerziehend", "Alleinerziehend",
     "Hilfe, wenn ein Elternteil keinen oder zu wenig Unterhalt zahlt.",
     ["unterhaltsvorschuss", "beistandschaft"]),
    ("mit-kindern-verreisen", "Mit Kindern verreisen",
     "Welche Ausweise Kinder für Reisen brauchen.", ["kinderreisepass"]),
]  # fmt: skip

SERVICES: list[dict[str, Any]] = [
    {
        "key": "kita-platz", "name": "Kita-Platz", "team": "familienbuero", "online": True,
        "summary": "Einen Platz in einer Kindertagesstätte oder in der Kindertagespflege "
                   "für Ihr Kind anmelden.",
        "keywords": "Kita, Kindergarten, Kindertagesstätte, Krippe, U3, Tagesmutter, "
                    "Kindertagespflege, Betreuungsplatz",
        "description": "Jedes Kind hat ab dem ersten Geburtstag bis zur Einschulung einen "
                       "Anspruch auf einen Platz in einer Kita oder bei einer Tagesmutter oder "
                       "einem Tagesvater.\n\nMit diesem Antrag melden Sie Ihr Kind an. Sie "
                       "können bis zu drei Wunsch-Kitas nennen. Das Familienbüro hilft Ihnen, "
                       "einen passenden Platz zu finden.",
        "eligibility": "Eltern und andere Sorgeberechtigte, die mit dem Kind in Hamm wohnen.",
        "documents": "Geburtsdatum und Name des Kindes\nIhre Kontaktdaten\nNur bei 45 "
                     "Stunden pro Woche: eine Bescheinigung Ihres Arbeitgebers",
        "fees": "Die Anmeldung kostet nichts. Für die Betreuung zahlen Sie einen Elternbeitrag, "
                "der von Ihrem Einkommen abhängt. Die letzten zwei Kita-Jahre vor der "
                "Einschulung sind in Nordrhein-Westfalen beitragsfrei.",
        "duration": "Plätze werden meist im Frühjahr für das Kita-Jahr ab 1. August vergeben. "
                    "Melden Sie Ihr Kind etwa sechs Monate vorher an.",
        "deadlines": "Für das neue Kita-Jahr ab 1. August: Anmeldung bis zum 15. Januar.",
        "procedure": "Sie füllen den Antrag online oder im Familienbüro aus.\nDas Familienbüro "
                     "gibt Ihre Anmeldung an Ihre Wunsch-Kitas weiter.\nDie Kita meldet sich "
                     "bei Ihnen mit einem Platzangebot.\nSie nehmen den Platz an und "
                     "schließen mit der Kita einen Betreuungsvertrag.",
        "room": "Erdgeschoss, Familienbüro",
        "laws": [("§ 24 SGB VIII (Anspruch auf Förderung in Tageseinrichtungen)",
                  f"{GII}/sgb_8/__24.html"),
                 ("Kinderbildungsgesetz Nordrhein-Westfalen (KiBiz)", "")],
    },
    {
        "key": "geburtsurkunde", "name": "Geburtsurkunde", "team": "standesamt",
        "online": True, "guest": True,
        "summary": "Eine Geburtsurkunde für eine Geburt in Hamm bestellen, auch mehrsprachig.",
        "keywords": "Urkunde, Geburt, Geburtenregister, Personenstand, Abstammungsurkunde",
        "description": "Die Geburtsurkunde bestätigt, wann und wo ein Mensch geboren ist und "
                       "wer seine Eltern sind. Das Standesamt stellt sie aus dem "
                       "Geburtenregister aus.\n\nSie bekommen die Urkunde beim Standesamt des "
                       "Ortes, an dem die Geburt beurkundet wurde, also für Geburten in Hamm "
                       "hier.",
        "eligibility": "Die Person selbst, ihre Eltern, Kinder, Ehe- oder Lebenspartner. "
                       "Andere nur, wenn sie ein rechtliches Interesse nachweisen.",
        "documents": "Ihr Personalausweis oder Reisepass\nBei einem berechtigten Interesse: "
                     "ein Nachweis dafür",
        "fees": "Eine Urkunde kostet 12 Euro, jede weitere im selben Antrag 6 Euro. Urkunden "
                "für das Elterngeld, das Kindergeld oder das Mutterschaftsgeld sind "
                "gebührenfrei.",
        "duration": "Etwa eine Woche, mit der Post.",
        "procedure": "Sie bestellen online oder am Schalter.\nSie bezahlen die Gebühr.\nDas "
                     "Standesamt prüft, ob Sie die Urkunde bekommen dürfen.\nDie Urkunde kommt "
                     "mit der Post.",
        "room": "1. Obergeschoss, Standesamt",
        "laws": [("§ 55 PStG (Personenstandsurkunden)", f"{GII}/pstg/__55.html"),
                 ("§ 59 PStG (Geburtsurkunde)", f"{GII}/pstg/__59.html"),
                 ("§ 62 PStG (Erteilung der Urkunden)", f"{GII}/pstg/__62.html")],
    },
    {
        "key": "kinderreisepass", "name": "Kinderreisepass", "team": "familienbuero",
        "online": True, "in_person": True,
        "summary": "Einen Reisepass für Ihr Kind beantragen. Einen neuen Kinderreisepass gibt "
                   "es seit 2024 nicht mehr.",
        "keywords": "Reisepass, Pass, Ausweis, Kinderpass, Reise, Urlaub",
        "description": "Seit dem 1. Januar 2024 werden keine neuen Kinderreisepässe mehr "
                       "ausgestellt und alte nicht mehr verlängert. Kinder bekommen stattdessen "
                       "einen Reisepass, der sechs Jahre gilt, oder einen Personalausweis.\n\n"
                       "Mit dem Online-Antrag bereiten Sie den Termin vor. Ihr Kind muss zum "
                       "Termin mitkommen.",
        "eligibility": "Die Sorgeberechtigten eines Kindes mit deutscher Staatsangehörigkeit, "
                       "das in Hamm wohnt.",
        "documents": "Geburtsurkunde des Kindes\nEin aktuelles biometrisches Passfoto\nDie "
                     "Ausweise beider Sorgeberechtigten\nDie schriftliche Zustimmung des "
                     "anderen Elternteils, wenn er nicht mitkommt\nDer bisherige Pass des "
                     "Kindes, wenn es einen hat",
        "fees": "Ein Reisepass für Personen unter 24 Jahren kostet 37,50 Euro.",
        "duration": "Etwa drei bis vier Wochen, dann holen Sie den Pass ab.",
        "procedure": "Sie stellen den Antrag online und buchen einen Termin.\nSie kommen mit "
                     "Ihrem Kind zum Termin.\nDer Pass wird in der Bundesdruckerei hergestellt."
                     "\nSie holen den Pass ab.",
        "room": "Erdgeschoss, Servicepunkt",
        "laws": [("Passgesetz (PassG)", f"{GII}/pa_g_1986/"),
                 ("§ 15 Passverordnung (Gebühren)", f"{GII}/pa_v/__15.html")],
    },
    {
        "key": "elterngeld", "name": "Elterngeld", "team": "elterngeldstelle", "online": True,
        "summary": "Geld für Mütter und Väter, die nach der Geburt weniger oder nicht arbeiten.",
        "keywords": "Elterngeld, ElterngeldPlus, Partnerschaftsbonus, Elternzeit, Geburt, BEEG",
        "description": "Das Elterngeld ersetzt einen Teil des Einkommens, das nach der Geburt "
                       "wegfällt, meist 65 Prozent, mindestens 300 und höchstens 1.800 Euro im "
                       "Monat.\n\nBasiselterngeld gibt es zusammen bis zu 14 Monate. Mit "
                       "ElterngeldPlus bekommen Sie halb so viel, dafür doppelt so lange.",
        "eligibility": "Mütter und Väter, die ihr Kind selbst betreuen, mit ihm in einem "
                       "Haushalt leben und nicht mehr als 32 Stunden pro Woche arbeiten.",
        "documents": "Geburtsurkunde für das Elterngeld\nNachweise über Ihr Einkommen der "
                     "letzten zwölf Monate vor der Geburt\nBescheinigung der Krankenkasse über "
                     "das Mutterschaftsgeld",
        "fees": "Der Antrag kostet nichts.",
        "duration": "Etwa vier bis sechs Wochen, wenn alle Unterlagen da sind.",
        "deadlines": "Elterngeld wird rückwirkend nur für die letzten drei Monate vor dem "
                     "Antrag gezahlt. Stellen Sie den Antrag bald nach der Geburt.",
        "procedure": "Sie stellen den Antrag online oder in der Elterngeldstelle.\nDie "
                     "Elterngeldstelle berechnet Ihr Elterngeld.\nSie bekommen einen Bescheid."
                     "\nDas Geld kommt jeden Monat auf Ihr Konto.",
        "room": "2. Obergeschoss, Elterngeldstelle",
        "laws": [("Bundeselterngeld- und Elternzeitgesetz (BEEG)", f"{GII}/beeg/"),
                 ("§ 7 BEEG (Antragstellung)", f"{GII}/beeg/__7.html")],
    },
    {
        "key": "beistandschaft", "name": "Beistandschaft", "team": "fruehe-hilfen",
        "online": True,
        "summary": "Das Jugendamt hilft kostenlos, die Vaterschaft festzustellen oder den "
                   "Unterhalt für Ihr Kind geltend zu machen.",
        "keywords": "Beistand, Jugendamt, Vaterschaft, Unterhalt, Kindesunterhalt, "
                    "alleinerziehend",
        "description": "Als Beistand vertritt das Jugendamt Ihr Kind, wenn die Vaterschaft "
                       "festgestellt oder der Unterhalt berechnet und eingefordert werden soll. "
                       "Ihr Sorgerecht bleibt dabei ganz bei Ihnen.\n\nDie Beistandschaft endet,"
                       " sobald Sie es schriftlich verlangen.",
        "eligibility": "Der Elternteil, bei dem das Kind lebt und der das alleinige Sorgerecht "
                       "hat, oder bei gemeinsamer Sorge der Elternteil, bei dem das Kind lebt. "
                       "Auch schon vor der Geburt.",
        "documents": "Geburtsurkunde des Kindes\nWenn vorhanden: Urteile, Vereinbarungen oder "
                     "Schreiben zum Unterhalt",
        "fees": "Die Beistandschaft ist kostenlos.",
        "duration": "Sie beginnt, sobald Ihr Antrag beim Jugendamt ist.",
        "procedure": "Sie stellen den Antrag online oder persönlich.\nIhre Beiständin oder "
                     "Ihr Beistand meldet sich bei Ihnen.\nDas Jugendamt schreibt den anderen "
                     "Elternteil an.",
        "room": "3. Obergeschoss, Beistandschaften",
        "laws": [("§ 1712 BGB (Beistandschaft des Jugendamts)", f"{GII}/bgb/__1712.html"),
                 ("§ 1713 BGB (Antragsberechtigte)", f"{GII}/bgb/__1713.html"),
                 ("§ 55 SGB VIII (Beistandschaft)", f"{GII}/sgb_8/__55.html")],
    },
    {
        "key": "unterhaltsvorschuss", "name": "Unterhaltsvorschuss",
        "team": "fruehe-hilfen", "online": True,
        "summary": "Geld für Ihr Kind, wenn der andere Elternteil keinen oder zu wenig "
                   "Unterhalt zahlt.",
        "keywords": "Unterhalt, Vorschuss, UVG, alleinerziehend, Jugendamt, Unterhaltsleistung",
        "description": "Wenn Ihr Kind bei Ihnen lebt und der andere Elternteil keinen oder zu "
                       "wenig Unterhalt zahlt, zahlt das Jugendamt einen Unterhaltsvorschuss. "
                       "Das Jugendamt holt sich das Geld danach vom anderen Elternteil zurück."
                       "\n\nWie viel es gibt, hängt vom Alter des Kindes ab.",
        "eligibility": "Alleinerziehende Mütter und Väter für Kinder bis 18 Jahre. Für Kinder "
                       "ab 12 Jahren nur, wenn das Kind kein Bürgergeld bekommt oder Sie "
                       "mindestens 600 Euro brutto im Monat verdienen.",
        "documents": "Geburtsurkunde des Kindes\nIhr Personalausweis\nWenn vorhanden: "
                     "Nachweise über Unterhaltszahlungen",
        "fees": "Der Antrag kostet nichts.",
        "duration": "Etwa vier Wochen, wenn alle Unterlagen da sind.",
        "deadlines": "Rückwirkend gibt es die Leistung höchstens für den Monat vor dem Antrag.",
        "procedure": "Sie stellen den Antrag online oder persönlich.\nDas Jugendamt prüft "
                     "Ihre Angaben.\nSie bekommen einen Bescheid.\nDas Geld kommt jeden Monat "
                     "auf Ihr Konto.",
        "room": "3. Obergeschoss, Unterhaltsvorschusskasse",
        "laws": [("Unterhaltsvorschussgesetz (UVG)", f"{GII}/uhvorschg/"),
                 ("§ 1 UVG (Berechtigte)", f"{GII}/uhvorschg/__1.html")],
    },
]  # fmt: skip
