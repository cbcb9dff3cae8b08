"""Align the sections of two versions of a document (pure functions).

Why heading similarity plus embeddings plus words: a renamed heading with the same content ("Leitbild und
Leitziel" → "Leitbild") is caught by the content, while sections whose content drifted but whose heading
kept its name ("Kunststofftechnik" in 2.0 and 3.0) are caught by the heading. Neither signal alone is
reliable for the charter: headings repeat generic words ("Überblick"), and all charter passages are about
the same region, so their vectors are close to one another (the stored e5 vectors separate topics only
weakly); the idf-weighted word overlap of the two texts (tf-idf cosine) separates them better. All three
are mapped to 0..1 and combined with weights chosen on the labelled pairs (evals/labels/alignment.yaml).
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.analysis import analyze, fold

HEADING_WEIGHT, DENSE_WEIGHT, WORDS_WEIGHT = 0.3, 0.3, 0.4
# multilingual-e5 puts any two charter passages at cosine ≈ 0.78; the same topic reaches ≈ 0.9+.
COS_FLOOR, COS_SPAN = 0.80, 0.15
# Calibrated on evals/labels/alignment.yaml (see `itas eval views`): a pair below MIN_SIMILARITY is no
# correspondence; a section whose best partner is already taken joins it above MIN_EXTRA (1:n splits
# such as "Handlungsfeld 2" → "Innovative Ökosysteme" + "Kreislaufwirtschaft").
MIN_SIMILARITY = 0.35
MIN_EXTRA = 0.4


@dataclass(frozen=True)
class Pair:
    """Section `old` of the older version corresponds to section `new` of the newer one."""

    old: int
    new: int
    score: float


def related(a: str, b: str) -> bool:
    """Two analysed terms are the same word or one is a compound part/inflection of the other.

    German compounds share their modifier ("kunststofftechn" ~ "kunststoff") or their head
    ("zuruckkehr" ~ "ruckkehr"); five letters at least, so short stems do not match everything.
    """
    short = min(len(a), len(b))
    if a == b:
        return True
    if short >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    return (short >= 6 and (a.endswith(b) or b.endswith(a))) or (short >= 7 and a[:7] == b[:7])


def _terms(heading: str) -> list[str]:
    return [t for t in dict.fromkeys(analyze(heading)) if not t.isdigit()]


@lru_cache(maxsize=65_536)  # headings repeat across versions, copies and sector profiles
def heading_similarity(a: str, b: str) -> float:
    """0..1: the mean share of each heading's terms that the other heading holds (compound parts count)."""
    ta, tb = _terms(a), _terms(b)
    if not ta or not tb:
        return 0.0
    share_a = sum(any(related(x, y) for y in tb) for x in ta) / len(ta)
    share_b = sum(any(related(y, x) for x in ta) for y in tb) / len(tb)
    ratio = difflib.SequenceMatcher(None, fold(a), fold(b)).ratio()
    return max((share_a + share_b) / 2, ratio if ratio >= 0.8 else 0.0)


def content_similarity(cos: np.ndarray) -> np.ndarray:
    """Map cosine similarities of passage vectors to 0..1."""
    return np.clip((cos - COS_FLOOR) / COS_SPAN, 0.0, 1.0)


def similarity_matrix(
    old_headings: Sequence[str],
    new_headings: Sequence[str],
    dense_cos: np.ndarray,
    words_cos: np.ndarray,
) -> np.ndarray:
    """Combined similarity of every old section with every new one.

    Args:
        dense_cos: cosine of the sections' mean passage vectors (old × new).
        words_cos: tf-idf cosine of the sections' analysed words (old × new).
    """
    heads = np.array([[heading_similarity(a, b) for b in new_headings] for a in old_headings], dtype=float)
    if heads.size == 0:
        return heads.reshape(len(old_headings), len(new_headings))
    return (
        HEADING_WEIGHT * heads
        + DENSE_WEIGHT * content_similarity(dense_cos)
        + WORDS_WEIGHT * np.clip(words_cos * 2, 0.0, 1.0)
    )


def tfidf_cosine(
    old_terms: Sequence[Sequence[str]], new_terms: Sequence[Sequence[str]], idf: dict[str, float]
) -> np.ndarray:
    """Cosine of tf-idf vectors (log tf) between two lists of analysed texts."""
    vocab = {t: i for i, t in enumerate(sorted(idf))}

    def matrix(docs: Sequence[Sequence[str]]) -> np.ndarray:
        out = np.zeros((len(docs), max(len(vocab), 1)))
        for r, terms in enumerate(docs):
            for term, n in Counter(terms).items():
                if term in vocab:
                    out[r, vocab[term]] = (1 + math.log(n)) * idf[term]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    return matrix(old_terms) @ matrix(new_terms).T


def align(sim: np.ndarray, *, minimum: float = MIN_SIMILARITY, extra: float = MIN_EXTRA) -> list[Pair]:
    """Greedy one-to-one matching by descending similarity, then 1:n joins above `extra`.

    Ties break by position (older section first), so the result is deterministic.
    """
    if sim.size == 0:
        return []
    order = sorted(
        ((float(sim[i, j]), i, j) for i in range(sim.shape[0]) for j in range(sim.shape[1])),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[Pair] = []
    for score, i, j in order:
        if score < minimum:
            break
        if i not in used_old and j not in used_new:
            pairs.append(Pair(i, j, score))
            used_old.add(i)
            used_new.add(j)
    for score, i, j in order:
        if score < extra:
            break
        if (i in used_old) != (j in used_new):  # exactly one side is free: a split or a merge
            best_i = int(np.argmax(sim[:, j]))
            best_j = int(np.argmax(sim[i, :]))
            if (i not in used_old and best_j == j) or (j not in used_new and best_i == i):
                pairs.append(Pair(i, j, score))
                used_old.add(i)
                used_new.add(j)
    return sorted(pairs, key=lambda p: (p.old, p.new))
