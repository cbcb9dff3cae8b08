"""Sector-match figures on evals/labels/sectors.yaml: top-1/top-3 accuracy and non-business rejection."""

from __future__ import annotations

from typing import Any

import yaml

from assistant.protocols import Embedder
from assistant.snapshot import IndexSnapshot
from assistant.views.sectors import business_context, match_sectors
from evals.views import LABELS


def sector_scores(snap: IndexSnapshot, embedder: Embedder) -> dict[str, Any]:
    """Top-1/top-3 accuracy of `match_sectors`; how many non-business texts `business_context` rejects."""
    labels = yaml.safe_load((LABELS / "sectors.yaml").read_text(encoding="utf-8"))
    top1 = top3 = 0
    errors = []
    for item in labels["descriptions"]:
        right = {item["code"], *item.get("also", [])}
        codes = [r["code"] for r in match_sectors(item["text"], embedder, limit=3)]
        top1 += bool(codes[:1]) and codes[0] in right
        if right & set(codes):
            top3 += 1
        else:
            errors.append(f"{item['text']} → {codes} (richtig: {item['code']})")
    rejected = 0
    for text in labels["non_business"]:
        if business_context(text, snap, embedder.embed_query(text)) is None:
            rejected += 1
        else:
            errors.append(f"kein Unternehmen, aber erkannt: {text}")
    n = len(labels["descriptions"])
    return {
        "descriptions": n,
        "top1": top1 / n,
        "top3": top3 / n,
        "non_business": len(labels["non_business"]),
        "rejected": rejected,
        "errors": errors,
    }
