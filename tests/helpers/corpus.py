"""Small generated corpora for tests: Markdown documents plus a manifest, written to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.settings import Settings

DOCS: dict[str, dict[str, Any]] = {
    "charta-1-0": {
        "file": "documents/charta-1-0.md",
        "title": "Test-Charta 1.0",
        "doc_type": "charta",
        "version": "1.0",
        "date": "2023-09-30",
        "text": """# 1 Leitbild

Die Region will bis 2035 eine moderne Industrieregion mit Automotive-Schwerpunkt bleiben.

# 2 Gießereien

Gießereien sollen bei der Umstellung auf Leichtmetallguss beraten werden. Dafür ist ein Gießerei-Dialog geplant.

# 3 Wasserstoff

Die Charta 1.0 sieht ein Wasserstoff-Testfeld für Nutzfahrzeuge in Zwickau vor.
""",
    },
    "charta-3-0": {
        "file": "documents/charta-3-0.md",
        "title": "Test-Charta 3.0",
        "doc_type": "charta",
        "version": "3.0",
        "date": "2025-06-20",
        "text": """# 1 Leitbild

Die Region will bis 2035 eine moderne Industrieregion mit Automotive-Schwerpunkt und hoher Wertschöpfung sein.

# 2 Gießereien

Gießereien erhalten ein Förderprogramm für energieeffiziente Schmelzöfen mit 40 Prozent Zuschuss.
Automobilzulieferer mit Verbrenner-Komponenten bekommen eine Transformationsberatung über 12 Monate.
""",
    },
    "forum-vogtland-2024": {
        "file": "documents/forum-vogtland-2024.md",
        "title": "Test-Forum Vogtlandkreis 2024",
        "doc_type": "forum_report",
        "district": "Vogtlandkreis",
        "date": "2024-05-02",
        "text": """# Ergebnisse

Beim Zukunftsforum im Vogtland forderten die Unternehmen eine Fachkräfte-Akademie in Plauen mit 200 Plätzen.
""",
    },
    "forum-erzgebirge-2024": {
        "file": "documents/forum-erzgebirge-2024.md",
        "title": "Test-Forum Erzgebirgskreis 2024",
        "doc_type": "forum_report",
        "district": "Erzgebirgskreis",
        "date": "2024-04-18",
        "text": """# Ergebnisse

Im Erzgebirge wünschten sich die Betriebe einen Pendlerbus für Auszubildende zwischen Annaberg und Aue.
Zu Fachkräften empfahl das Forum im Erzgebirge eine Rückkehrer-Börse für Pendler aus Bayern.
""",
    },
    "notizen-intern": {
        "file": "documents/notizen-intern.md",
        "title": "Interne Notizen",
        "doc_type": "other",
        "audience": "internal",
        "date": "2024-05-03",
        "text": """# Nachbereitung

Intern vermerkt: Das Budget für den Geheimworkshop Flamingo beträgt 4711 Euro.
""",
    },
}


def write_corpus(root: Path, docs: dict[str, dict[str, Any]] | None = None, *, manifest: bool = True) -> Path:
    """Write documents and a manifest under root; return root."""
    docs = DOCS if docs is None else docs
    entries = []
    for doc_id, spec in docs.items():
        path = root / spec["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec["text"], encoding="utf-8")
        entry = {k: v for k, v in spec.items() if k != "text"}
        entry.setdefault("audience", "public")
        entries.append({"doc_id": doc_id, "sample": True, **entry})
    if manifest:
        (root / "manifest.yaml").write_text(
            yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return root


def settings_for(tmp: Path, **overrides: Any) -> Settings:
    """Settings with the store and corpus inside tmp."""
    groups: dict[str, Any] = {"store": {"path": tmp / "store"}, "ingest": {"corpus_path": tmp / "corpus"}}
    for key, value in overrides.items():
        groups.setdefault(key, {}).update(value)
    return Settings(_env_file=None, **groups)  # type: ignore[call-arg]
