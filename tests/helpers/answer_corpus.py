"""A small corpus built for answer behaviour (versions, outlines, lists, missing details)."""

from __future__ import annotations

from typing import Any

ANSWER_DOCS: dict[str, dict[str, Any]] = {
    "charta-1-0": {
        "file": "documents/charta-1-0.md",
        "title": "Test-Charta 1.0",
        "doc_type": "charta",
        "version": "1.0",
        "date": "2023-09-30",
        "text": """# 1 Finanzierung

Die Charta 1.0 prüft einen regionalen Transformationsfonds für kleine Zulieferer mit einer Orientierungsgröße von 25 Mio. Euro.

# 2 Handlungsfelder

## 2.1 Industriepolitik

Die Partner stimmen sich mit Land und Bund über Förderprogramme ab.

## 2.2 Innovation und Technologie

Zulieferer erproben neue Werkstoffe gemeinsam mit den Hochschulen der Region.

## 2.3 Arbeit und Fachkräfte

Betriebe gewinnen Fachkräfte gemeinsam und halten ihre Beschäftigten in der Region.
""",
    },
    "charta-3-0": {
        "file": "documents/charta-3-0.md",
        "title": "Test-Charta 3.0",
        "doc_type": "charta",
        "version": "3.0",
        "date": "2025-06-20",
        "text": """# 1 Finanzierung

Der regionale Transformationsfonds wird nicht weiterverfolgt; an seine Stelle tritt die Fördermittelberatung der Helpdesk-Sprechstunden.

# 2 Angebote

Dem Konsortium gehören drei Partner an:
- das Netzwerk der Automobilzulieferer,
- die Industrie- und Handelskammer,
- die Gewerkschaft der Metallberufe.

Die Helpdesk-Sprechstunden der Kammer sind kostenfrei und finden monatlich statt.
Der Gießerei-Dialog bringt Gießereien und Energieberater an einen Tisch, um den Gasverbrauch der Schmelzöfen zu senken.

# 3 Lotsen

Ende 2023 waren in der Region 35 Transformationslotsen ausgebildet; bis 2027 sollen es 80 sein.
""",
    },
    "forum-vogtland-2024": {
        "file": "documents/forum-vogtland-2024.md",
        "title": "Test-Forum Vogtlandkreis 2024",
        "doc_type": "forum_report",
        "district": "Vogtlandkreis",
        "date": "2024-05-02",
        "text": """# Ergebnisse

Zu Fachkräften forderten die Unternehmen im Vogtland eine Fachkräfte-Akademie in Plauen mit 200 Plätzen.
Die Akademie soll aus Mitteln des Landkreises und mit Eigenanteilen der Betriebe bezahlt werden.
""",
    },
    "forum-erzgebirge-2024": {
        "file": "documents/forum-erzgebirge-2024.md",
        "title": "Test-Forum Erzgebirgskreis 2024",
        "doc_type": "forum_report",
        "district": "Erzgebirgskreis",
        "date": "2024-04-18",
        "text": """# Ergebnisse

Zu Fachkräften empfahl das Forum im Erzgebirge eine Rückkehrer-Börse für Pendler aus Bayern.
""",
    },
}
