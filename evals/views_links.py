"""Forum→charter link figures on evals/labels/links.yaml: threshold chosen by cross-validation."""

from __future__ import annotations

from typing import Any

import numpy as np
import yaml

from assistant.analysis import fold
from assistant.families import CHARTER_SERIES
from assistant.protocols import Embedder
from assistant.snapshot import IndexSnapshot
from assistant.views import districts as dv
from assistant.views.corpus import chunks_by_doc
from assistant.views.proposals import extract_proposals
from assistant.views.series import SeriesIndex, build_series_index
from evals.views import LABELS, folds

GRID = [round(x, 3) for x in np.arange(0.30, 0.801, 0.01)]
TARGET_PRECISION = 0.85  # the precision the issue asks for, reached on the training folds
K = 5


def _norm(text: str) -> str:
    return " ".join(fold(text).split())


def _labelled(snap: IndexSnapshot, embedder: Embedder, idx: SeriesIndex) -> list[dict[str, Any]]:
    labels = yaml.safe_load((LABELS / "links.yaml").read_text(encoding="utf-8"))["proposals"]
    grouped = chunks_by_doc(snap)
    items = []
    for label in labels:
        found = [
            p
            for p in extract_proposals(label["doc"], grouped.get(label["doc"], []))
            if p.name == label["name"]
        ]
        if not found:
            raise ValueError(
                f"proposal {label['name']!r} not found in {label['doc']}; is the sample corpus ingested?"
            )
        proposal = found[0]
        text = dv.proposal_text(proposal)
        vec = dv._proposal_vectors(snap, embedder, [text])[text]
        versions = dv.later_versions(idx, snap.documents[label["doc"]].date)
        items.append(
            {
                "name": label["name"],
                "gold": [(g["doc"], _norm(g["quote"])) for g in label["taken_up"]],
                "negative": [(g["doc"], _norm(g["quote"])) for g in label.get("not_linked", [])],
                "candidates": dv.score_candidates(snap, idx, versions, proposal, vec),
            }
        )
    return items


def _section_key(idx: SeriesIndex, c: dv.Candidate) -> tuple[str, str]:
    member = next(m for m in idx.versions if m.version == c.version)
    return member.meta.doc_id, _norm(idx.sections[c.version][c.section].text)


def _evaluate(
    idx: SeriesIndex, items: list[dict[str, Any]], threshold: float
) -> tuple[int, int, int, int, list[str]]:
    """(correct links, predicted links, labelled (proposal, document) links found, labelled ones, errors).

    Quotes are alternative evidence: a labelled link (proposal → document) is found when a suggested link
    to that document contains any of its quotes; a suggestion is correct when it contains one.
    """
    correct = predicted = found = total = 0
    errors = []
    for item in items:
        links = [_section_key(idx, c) for c in dv.select_links(item["candidates"], threshold)]
        for doc, text in links:
            predicted += 1
            if any(doc == gd and gq in text for gd, gq in item["gold"]):
                correct += 1
            else:
                errors.append(f"falsch verknüpft: {item['name']} → {doc}: {text[:60]}")
        for gd in dict.fromkeys(gd for gd, _ in item["gold"]):
            total += 1
            quotes = [gq for d, gq in item["gold"] if d == gd]
            if any(doc == gd and any(q in text for q in quotes) for doc, text in links):
                found += 1
            else:
                errors.append(f"nicht gefunden: {item['name']} → {gd}: {quotes[0][:60]}")
    return correct, predicted, found, total, errors


def _choose(idx: SeriesIndex, items: list[dict[str, Any]]) -> float:
    """The threshold with the best recall among those reaching TARGET_PRECISION (else the most precise)."""
    best_key: tuple[float, float, float] | None = None
    best = GRID[-1]
    for t in GRID:
        c, p, f, n, _ = _evaluate(idx, items, t)
        precision, recall = (c / p if p else 1.0), (f / n if n else 1.0)
        key = (recall if precision >= TARGET_PRECISION else -1.0, precision, -t)
        if best_key is None or key > best_key:
            best_key, best = key, t
    return best


def link_scores(snap: IndexSnapshot, embedder: Embedder) -> dict[str, Any]:
    """Cross-validated precision/recall of the suggested links, and the shipped threshold in-sample."""
    idx = build_series_index(snap, CHARTER_SERIES)
    items = _labelled(snap, embedder, idx)
    c_all = p_all = f_all = n_all = 0
    chosen = []
    for fold_items in folds(list(range(len(items))), K):
        test = [items[i] for i in fold_items]
        train = [items[i] for i in range(len(items)) if i not in fold_items]
        t = _choose(idx, train)
        chosen.append(t)
        c, p, f, n, _ = _evaluate(idx, test, t)
        c_all, p_all, f_all, n_all = c_all + c, p_all + p, f_all + f, n_all + n
    c, p, f, n, errors = _evaluate(idx, items, dv.LINK_THRESHOLD)
    negatives = sum(len(i["negative"]) for i in items)
    return {
        "proposals": len(items),
        "pairs_labelled": sum(len({d for d, _ in i["gold"]}) or 1 for i in items) + negatives,
        "not_taken_up": sum(1 for i in items if not i["gold"]),
        "threshold": dv.LINK_THRESHOLD,
        "fold_thresholds": chosen,
        "cv_precision": c_all / p_all if p_all else 1.0,
        "cv_recall": f_all / n_all if n_all else 1.0,
        "precision": c / p if p else 1.0,
        "recall": f / n if n else 1.0,
        "all_data_threshold": _choose(idx, items),
        "errors": errors,
    }
