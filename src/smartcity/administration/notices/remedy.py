"""The legal remedy (Rechtsbehelfsbelehrung) a notice ends with, as cited data, like
environment/airquality.py keeps the limit values.

In North Rhine-Westphalia there is, for most matters, no objection procedure
(Widerspruchsverfahren) before a court action: § 110 Abs. 1 JustG NRW lifts it under
§ 68 Abs. 1 Satz 2 VwGO. So a notice is challenged by an action (Klage) at the
administrative court within one month after notification, § 74 Abs. 1 Satz 2 VwGO; a
notice must say so, else the period is a year, § 58 VwGO. The competent court is the one
of the district the authority is in, § 52 Nr. 3 VwGO: for the city of Hamm the
Verwaltungsgericht Arnsberg. Another city sets ``SMARTCITY_NOTICE_COURT`` and
``SMARTCITY_NOTICE_COURT_ADDRESS``; a service whose decisions go elsewhere (e.g. a
register office's refusal: Amtsgericht, § 49 PStG) writes its own remedy text into its
template."""

from __future__ import annotations

from dataclasses import dataclass

from smartcity.core import config


@dataclass(frozen=True)
class Remedy:
    text: str
    citation: str


CITATION = "§ 74 Abs. 1 Satz 2, § 68 Abs. 1 Satz 2, § 58 VwGO; § 110 Abs. 1 JustG NRW"

# the German text of the remedy; {court} and {address} come from the settings
TEXT = (
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim "
    "{court}, {address}, erhoben werden. Die Klage ist schriftlich oder zur Niederschrift "
    "der Urkundsbeamtin oder des Urkundsbeamten der Geschäftsstelle des Gerichts zu "
    "erheben. Sie kann auch als elektronisches Dokument nach Maßgabe des § 55a der "
    "Verwaltungsgerichtsordnung (VwGO) und der Elektronischer-Rechtsverkehr-Verordnung "
    "eingereicht werden. Ein Widerspruchsverfahren findet nicht statt (§ 110 Abs. 1 JustG NRW)."
)


def default() -> Remedy:
    """The remedy of a notice whose template has none of its own."""
    court = " ".join(str(config.get("NOTICE_COURT")).split())
    address = " ".join(str(config.get("NOTICE_COURT_ADDRESS")).split())
    return Remedy(TEXT.format(court=court, address=address), CITATION)
