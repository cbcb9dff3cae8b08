"""A small charter family, forum reports, an offers overview and an internal note for the view tests."""

from __future__ import annotations

from typing import Any

CHANGES_2 = [
    {
        "topic": "Wasserstoff",
        "kind": "added",
        "since": "2.0",
        "summary": "Wasserstoff wird als Prüfauftrag neu aufgenommen.",
    },
    {
        "topic": "Transformationsfonds",
        "kind": "dropped",
        "since": "2.0",
        "summary": "Der Transformationsfonds entfällt.",
    },
]

DOCS: dict[str, dict[str, Any]] = {
    "charta-1-0": {
        "file": "documents/charta-1-0.md",
        "title": "Test-Charta 1.0",
        "doc_type": "charta",
        "version": "1.0",
        "text": """# 1 Fachkräfte

Ziel ist die Fachkräftesicherung in den Betrieben der Region. Beschäftigte sollen im eigenen Betrieb eine neue Aufgabe finden.

# 2 Kunststofftechnik

Kunststoffverarbeiter sollen den Einsatz von Rezyklaten erproben. Spritzgießer liefern viele Innenraumteile.

# 3 Transformationsfonds

Das Konsortium prüft einen regionalen Transformationsfonds mit 25 Mio. Euro für Diversifizierungsprojekte.
""",
    },
    "charta-2-0": {
        "file": "documents/charta-2-0.md",
        "title": "Test-Charta 2.0",
        "doc_type": "charta",
        "version": "2.0",
        "date": "2024-06-06",
        "changes": CHANGES_2,
        "text": """# 1 Fachkräfte

Ziel ist die Fachkräftegewinnung und -bindung in den Betrieben der Region. Die Charta spricht ausdrücklich Menschen an, die in die Region zurückkehren wollen.

# 2 Kunststofftechnik

Kunststoffverarbeiter sollen Rezyklate einsetzen. Spritzgießer liefern viele Innenraumteile.

# 3 Wasserstoff

Die Charta enthält einen Prüfauftrag Wasserstoff für Prozesswärme in Gießereien und Härtereien.
""",
    },
    "charta-2-0-entwurf": {
        "file": "documents/charta-2-0-entwurf.md",
        "title": "Test-Charta 2.0 (Entwurf)",
        "doc_type": "charta",
        "version": "2.0",
        "date": "2024-03-01",
        "text": """# 1 Entwurf

Dieser Entwurf der Fassung 2.0 wurde durch die endgültige Fassung ersetzt.
""",
    },
    "charta-3-0": {
        "file": "documents/charta-3-0.md",
        "title": "Test-Charta 3.0",
        "doc_type": "charta",
        "version": "3.0",
        "date": "2025-06-18",
        "text": """# 1 Fachkräfte

Fachkräftegewinnung und Qualifizierung haben oberste Priorität. Menschen, die in die Region zurückkehren wollen, erhalten ein Rückkehrerportal.

# 2 Kunststofftechnik

Kunststoffverarbeiter sollen sortenreine Rückführung und Rezyklat-Qualifizierung gemeinsam organisieren.

# 3 Wasserstoff

Wasserstoff bleibt nur für Prozesswärme eine Option.
""",
    },
    "charta-4-0-intern": {
        "file": "documents/charta-4-0-intern.md",
        "title": "Interner Entwurf Charta 4.0",
        "doc_type": "charta",
        "version": "4.0",
        "date": "2026-01-10",
        "audience": "internal",
        "text": """# 1 Fachkräfte

Vertraulicher Entwurf: Fachkräfte-Geheimplan Kolibri für Spritzgießer und Kunststofftechnik.
""",
    },
    "forum-vogtland-2024": {
        "file": "documents/forum-vogtland-2024.md",
        "title": "Test-Forum Vogtlandkreis 2024",
        "doc_type": "forum_report",
        "district": "Vogtlandkreis",
        "date": "2024-04-17",
        "text": """Veranstaltung: 17.04.2024, Plauen
Teilnehmende: 22 Personen aus Unternehmen

# 1 Ergebnisse

Das Forum schlug ein Vogtland-Rückkehrerportal vor: Eine Stellenplattform soll Menschen ansprechen, die in die Region zurückkehren wollen.
Zudem wurden Grenzpendler-Sprachkurse für tschechische Beschäftigte vorgeschlagen.

# 2 Maßnahmenvorschläge im Überblick

Vorschlag | Zielgröße | Handlungsfeld
Vogtland-Rückkehrerportal | 100 Rückkehrende bis Ende 2026 | HF 3 Arbeit und Beschäftigung
Grenzpendler-Sprachkurse | 4 Kurse pro Jahr | HF 3 Arbeit und Beschäftigung
""",
    },
    "angebote": {
        "file": "documents/angebote.md",
        "title": "Test-Angebote für Unternehmen",
        "doc_type": "other",
        "date": "2025-03-01",
        "text": """# Angebote nach Branche

Kunststofftechnik: Circular Cars mit dem Modul Rezyklate beim AMZ.
""",
    },
    "notiz-intern": {
        "file": "documents/notiz-intern.md",
        "title": "Interne Notiz",
        "doc_type": "other",
        "audience": "internal",
        "date": "2024-05-03",
        "district": "Vogtlandkreis",
        "text": """# Nachbereitung

Geheimprojekt Flamingo: Kunststofftechnik-Spritzgießer bekommen 4711 Euro.
""",
    },
}

# A second store: a series with a single version and no dates anywhere.
SINGLE: dict[str, dict[str, Any]] = {
    "charta-1-0": {
        "file": "documents/charta-1-0.md",
        "title": "Einzel-Charta 1.0",
        "doc_type": "charta",
        "version": "1.0",
        "text": """# 1 Fachkräfte

Ziel ist die Fachkräftesicherung in den Betrieben der Region.
""",
    },
    "forum-erzgebirge": {
        "file": "documents/forum-erzgebirge.md",
        "title": "Einzel-Forum Erzgebirgskreis",
        "doc_type": "forum_report",
        "district": "Erzgebirgskreis",
        "text": """# 1 Ergebnisse

Das Forum empfahl eine Rezyklat-Runde für Spritzgießer im Kreis.
""",
    },
}
