"""Combine dense and lexical rankings and thin out near-identical hits; pure functions over chunk ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence

from assistant.analysis import fold

Ranked = list[tuple[str, float]]

_WORDS = re.compile(r"[^\W_]+")


def rrf(rankings: Sequence[Sequence[str]], k: int = 60) -> Ranked:
    """Fuse rankings by Reciprocal Rank Fusion: score = Σ 1 / (k + rank), ranks starting at 1.

    Ties go to the id with the better best single rank, then to the smaller id. An id repeated within one
    ranking counts at its first position only.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    scores: dict[str, float] = {}
    best_rank: dict[str, int] = {}
    for ranking in rankings:
        seen: set[str] = set()
        for rank, chunk_id in enumerate(ranking, start=1):
            if chunk_id in seen:
                continue
            seen.add(chunk_id)
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (k + rank)
            best_rank[chunk_id] = min(rank, best_rank.get(chunk_id, rank))
    order = sorted(scores, key=lambda cid: (-scores[cid], best_rank[cid], cid))
    return [(cid, scores[cid]) for cid in order]


def normalize(scored: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Min-max scale one list's scores to [0, 1]; if all scores are equal, every id gets 1.0.

    An id listed twice keeps its first (best-ranked) score.
    """
    first: dict[str, float] = {}
    for chunk_id, score in scored:
        first.setdefault(chunk_id, float(score))
    if not first:
        return {}
    low, high = min(first.values()), max(first.values())
    if high - low <= 0:
        return dict.fromkeys(first, 1.0)
    return {cid: (score - low) / (high - low) for cid, score in first.items()}


def weighted_fusion(
    dense: Sequence[tuple[str, float]], lexical: Sequence[tuple[str, float]], dense_weight: float
) -> Ranked:
    """Fuse two scored lists: w·dense + (1−w)·lexical after per-list min-max normalisation.

    A chunk missing from one list gets 0 for it. Ties go to the id with the better best single rank, then
    to the smaller id.
    """
    if not 0.0 <= dense_weight <= 1.0:
        raise ValueError(f"dense_weight must be between 0 and 1, got {dense_weight}")
    dense_norm, lexical_norm = normalize(dense), normalize(lexical)
    best_rank: dict[str, int] = {}
    for scored in (dense, lexical):
        for rank, (chunk_id, _) in enumerate(scored):
            best_rank[chunk_id] = min(rank, best_rank.get(chunk_id, rank))
    combined = {
        cid: dense_weight * dense_norm.get(cid, 0.0) + (1.0 - dense_weight) * lexical_norm.get(cid, 0.0)
        for cid in best_rank
    }
    order = sorted(combined, key=lambda cid: (-combined[cid], best_rank[cid], cid))
    return [(cid, combined[cid]) for cid in order]


def diversify(
    ranked: Sequence[tuple[str, float]],
    page_of: Callable[[str], Hashable],
    max_per_page: int,
    *,
    text_of: Callable[[str], str] | None = None,
    max_similarity: float = 0.9,
    limit: int | None = None,
) -> Ranked:
    """Keep the order but drop hits beyond `max_per_page` per (doc_id, page) and near-duplicate texts.

    Args:
        ranked: (chunk_id, score) best first.
        page_of: chunk id → the unit the cap counts (e.g. doc_id, page label, section).
        max_per_page: hits kept per page; 0 or less disables the cap.
        text_of: chunk id → text; when given, a hit whose word set has Jaccard similarity of at least
            `max_similarity` with an already kept hit is dropped (the same passage in two documents).
        max_similarity: Jaccard threshold for near duplicates.
        limit: stop once this many hits are kept.
    """
    kept: Ranked = []
    per_page: dict[Hashable, int] = {}
    kept_words: list[frozenset[str]] = []
    for chunk_id, score in ranked:
        page = page_of(chunk_id)
        if max_per_page > 0 and per_page.get(page, 0) >= max_per_page:
            continue
        if text_of is not None:
            words = frozenset(_WORDS.findall(fold(text_of(chunk_id))))
            if any(jaccard(words, other) >= max_similarity for other in kept_words):
                continue
            kept_words.append(words)
        per_page[page] = per_page.get(page, 0) + 1
        kept.append((chunk_id, score))
        if limit is not None and len(kept) >= limit:
            break
    return kept


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Return |a ∩ b| / |a ∪ b| (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)
