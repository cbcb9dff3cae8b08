"""The manifest's `changes:` entries (what a version changed, by topic), for the version comparison.

The index generation records the corpus root it was built from; the entries are read from the manifest
there once per generation. (They are not part of the index state yet; when ingest stores them with the
generation, only `_load` changes.)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from assistant.analysis import analyze
from assistant.snapshot import IndexSnapshot
from assistant.views import strings as s
from assistant.views.corpus import TermStats, generation_cache, public_docs

log = logging.getLogger(__name__)
MIN_COVERAGE = 0.5


def _load(snap: IndexSnapshot) -> dict[str, list[dict[str, str]]]:
    path = Path(snap.state.corpus_root) / "manifest.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("cannot read the changes entries from %s: %s", path, exc)
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    for entry in data.get("documents") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
            continue
        items = [
            {k: str(c.get(k) or "") for k in ("topic", "kind", "since", "summary")}
            for c in entry["changes"]
            if isinstance(c, dict) and c.get("topic")
        ]
        out[str(entry.get("doc_id"))] = items
    return out


def all_changes(snap: IndexSnapshot) -> dict[str, list[dict[str, str]]]:
    """doc_id → its changes entries, public documents only (read once per generation)."""
    loaded = generation_cache(snap, "changes", lambda: _load(snap))
    public = public_docs(snap)
    return {d: items for d, items in loaded.items() if d in public}


def changes_for(snap: IndexSnapshot, doc_ids: list[str], topic: str) -> list[dict[str, Any]]:
    """The changes entries of these documents that concern the topic, oldest version first."""
    entries = all_changes(snap)
    candidates = [(d, c) for d in doc_ids for c in entries.get(d, [])]
    stats = TermStats(c["topic"] + " " + c["summary"] for _, c in candidates)
    topic_terms = set(analyze(topic))
    out = []
    for doc_id, change in candidates:
        heading_terms = set(analyze(change["topic"]))
        text_terms = heading_terms | set(analyze(change["summary"]))
        if stats.coverage(topic_terms, text_terms) >= MIN_COVERAGE or (
            heading_terms and heading_terms <= topic_terms
        ):
            meta = snap.documents[doc_id]
            out.append(
                {
                    **change,
                    "kind_label": s.CHANGE_KINDS.get(change["kind"], change["kind"]),
                    "doc_id": doc_id,
                    "version": meta.version,
                }
            )
    return out
