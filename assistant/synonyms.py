"""Everyday German words users type, mapped to the words strategy papers use for the same thing.

Users ask "Wie viele Leute waren da?" or "Gibt es Geld dafür?"; the documents say "Teilnehmende" and
"Förderung". The expansions help the lexical retriever and count as the same term when the extractive
answerer checks that a sentence is about the question. General vocabulary only — nothing specific to
one document or question.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    "Leute": ("Teilnehmende", "Personen", "Menschen", "Beschäftigte", "Gäste"),
    "Teilnehmer": ("Teilnehmende",),
    "Firma": ("Unternehmen", "Betrieb"),
    "Firmen": ("Unternehmen", "Betriebe"),
    "Azubi": ("Auszubildende", "Ausbildung"),
    "Azubis": ("Auszubildende", "Ausbildung"),
    "Lehrlinge": ("Auszubildende", "Ausbildung"),
    "Nachwuchs": ("Auszubildende", "Jugend"),
    "Geld": ("Förderung", "Finanzierung", "Mittel"),
    "Zuschuss": ("Förderung",),
    "kostet": ("kostenfrei", "kostenlos", "Euro"),
    "Kosten": ("kostenfrei", "kostenlos", "Euro"),
    "Job": ("Arbeitsplatz", "Beschäftigung", "Stelle"),
    "Jobs": ("Arbeitsplätze", "Beschäftigung", "Stellen"),
    "Mitarbeiter": ("Beschäftigte", "Belegschaft"),
    "Kollegen": ("Beschäftigte", "Belegschaft"),
    "Chef": ("Geschäftsführung", "Führungskräfte", "Inhaber"),
    "Chefs": ("Geschäftsführungen", "Führungskräfte", "Inhaber"),
    "Strom": ("Energie",),
    "Elektroauto": ("Elektromobilität", "E-Mobilität"),
    "Elektroautos": ("Elektromobilität", "E-Mobilität"),
    "E-Autos": ("Elektromobilität", "E-Mobilität"),
    "Startup": ("Gründung", "Gründungen"),
    "Start-up": ("Gründung", "Gründungen"),
    "gründen": ("Gründung",),
    "Hilfe": ("Unterstützung", "Beratung", "Angebot"),
    "helfen": ("Unterstützung", "Beratung", "Angebot"),
    "Verbrenner": ("Verbrennungsmotor", "Antriebsstrang"),
    "Personal": ("Fachkräfte", "Beschäftigte"),
    "Arbeitskräfte": ("Fachkräfte",),
    "Nachfolger": ("Nachfolge",),
    "zurückkommen": ("Rückkehr", "Rückkehrende"),
    "Heimkehrer": ("Rückkehr", "Rückkehrende"),
    "Roboter": ("Automatisierung", "Robotik"),
    "Spedition": ("Logistik",),
    "Spediteur": ("Logistik",),
    "Uni": ("Hochschule", "Universität"),
    "Kunststoffleute": ("Kunststoff", "Kunststofftechnik"),
    "Weiterbildung": ("Qualifizierung",),
    "Umschulung": ("Qualifizierung", "Weiterbildung"),
    "stattgefunden": ("Datum", "Ort"),
}


def expansions(words: list[str]) -> dict[str, tuple[str, ...]]:
    """Synonyms for the words of a question that have any (case-insensitive)."""
    lowered = {key.casefold(): value for key, value in SYNONYMS.items()}
    return {w: lowered[w.casefold()] for w in words if w.casefold() in lowered}
