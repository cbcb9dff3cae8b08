"""Sector-match figures on evals/labels/sectors.yaml: top-1/top-3 accuracy and non-business rejection."""

from __future__ import annotations

from typing import Any

import yaml

from assistant.protocols import Embedder
from assistant.snapshot import IndexSnapshot
from assistant.views.sectors import business_context, match_sectors, sector_view
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
    views = sector_view_check(snap)
    errors += views.pop("errors")
    return {
        "views": views,
        "descriptions": n,
        "top1": top1 / n,
        "top3": top3 / n,
        "non_business": len(labels["non_business"]),
        "rejected": rejected,
        "errors": errors,
    }


def sector_view_check(snap: IndexSnapshot) -> dict[str, Any]:
    """Per hand-checked sector: how many of the passages a careful reader lists the view shows."""
    labels = yaml.safe_load((LABELS / "sector_views.yaml").read_text(encoding="utf-8"))["sectors"]
    out: dict[str, Any] = {"errors": []}
    for code, expected in labels.items():
        view = sector_view(snap, code)
        shown = [(p["doc_id"], p["section"]) for g in view["groups"] for p in g["passages"]]
        found = 0
        for item in expected:
            if any(doc == item["doc"] and item["section"] in section for doc, section in shown):
                found += 1
            else:
                out["errors"].append(f"Branche {code}: fehlt {item['doc']} › {item['section']}")
        first = view["groups"][0]["key"] if view["groups"] else None
        out[code] = {
            "expected": len(expected),
            "found": found,
            "shown": len(shown),
            "current_first": first == "current",
        }
    return out
