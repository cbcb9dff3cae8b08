"""Pure metric functions for the gold set and GermanQuAD; no I/O, no product imports.

Conventions: a ranking is a sequence of booleans (is the item at this position relevant?), best first;
ranks are 1-based. Metrics that do not apply to an item (e.g. citation precision of a refusal) return
None, and `mean` skips None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

GoldTarget = tuple[str, tuple[str, ...]]  # (doc_id, page labels on which the answer stands)

_DASHES = re.compile(r"\s*[–—-]\s*")


# --- pages ---------------------------------------------------------------------------------------


def page_span(start: str, end: str | None = None) -> frozenset[str]:
    """Page labels covered by a chunk: a numeric range is expanded ("3".."5" → 3, 4, 5), else the labels."""
    end = start if end is None else end
    if start.isdigit() and end.isdigit() and int(start) <= int(end):
        return frozenset(str(p) for p in range(int(start), int(end) + 1))
    return frozenset({start, end})


def parse_page_label(label: str) -> frozenset[str]:
    """Pages of a printed label as citations show it ("4" or the span "4–5")."""
    parts = _DASHES.split(label.strip(), maxsplit=1)
    return page_span(parts[0], parts[1] if len(parts) == 2 else None)


def on_gold_page(doc_id: str, pages: frozenset[str], gold: Sequence[GoldTarget]) -> bool:
    """Tell whether a passage of `doc_id` covering `pages` lies on a gold page."""
    return any(doc_id == gold_doc and pages & set(gold_pages) for gold_doc, gold_pages in gold)


def targets_hit(refs: Iterable[tuple[str, frozenset[str]]], gold: Sequence[GoldTarget]) -> int:
    """How many gold targets (one per gold entry) at least one of `refs` lies on."""
    refs = list(refs)
    return sum(
        1
        for gold_doc, gold_pages in gold
        if any(doc == gold_doc and pages & set(gold_pages) for doc, pages in refs)
    )


# --- ranking -------------------------------------------------------------------------------------


def first_hit_rank(relevant: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant item, or None."""
    return next((i for i, rel in enumerate(relevant, start=1) if rel), None)


def recall_at_k(relevant: Sequence[bool], k: int) -> float:
    """1.0 if any relevant item is among the top k, else 0.0 (one gold answer location per question)."""
    return 1.0 if any(relevant[:k]) else 0.0


def mrr_at_k(relevant: Sequence[bool], k: int = 10) -> float:
    """Reciprocal rank of the first relevant item within the top k (0.0 if none)."""
    rank = first_hit_rank(relevant[:k])
    return 0.0 if rank is None else 1.0 / rank


def ndcg_at_k(relevant: Sequence[bool], k: int = 10, n_relevant: int | None = None) -> float:
    """Binary nDCG@k: Σ rel_i / log2(i + 1) over the ideal ordering of min(k, n_relevant) relevant items.

    Args:
        relevant: relevance of each retrieved item, best first.
        k: cut-off.
        n_relevant: how many relevant items the retriever could return at best; default: as many as
            were retrieved (then the metric judges the order of what was found, not what was missed).
    """
    gains = sum(1.0 / math.log2(i + 1) for i, rel in enumerate(relevant[:k], start=1) if rel)
    ideal_n = min(k, sum(relevant) if n_relevant is None else max(n_relevant, sum(relevant[:k])))
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, ideal_n + 1))
    return gains / ideal if ideal > 0 else 0.0


def document_ranking(doc_ids: Iterable[str]) -> list[str]:
    """Documents in the order of their first chunk (a document's rank is its best chunk's rank)."""
    return list(dict.fromkeys(doc_ids))


def doc_success_at_k(ranked_docs: Sequence[str], relevant: set[str], k: int) -> float:
    """Document-level Success@k: 1.0 if a relevant document is among the first k."""
    return recall_at_k([d in relevant for d in ranked_docs], k)


def doc_mrr_at_k(ranked_docs: Sequence[str], relevant: set[str], k: int = 10) -> float:
    """Document-level MRR@k."""
    return mrr_at_k([d in relevant for d in ranked_docs], k)


# --- answers -------------------------------------------------------------------------------------


def _squash(text: str) -> str:
    # PDFs and the answerer may break lines or double spaces inside a phrase; compare on single spaces.
    return " ".join(text.replace("\u00ad", "").split()).casefold()


def key_fact_coverage(answer: str, key_facts: Sequence[Sequence[str]]) -> float | None:
    """Share of key facts present in the answer; a fact is present if any of its alternatives occurs.

    Matching is case-insensitive substring matching on whitespace-normalised text. None if there are no
    key facts.
    """
    if not key_facts:
        return None
    text = _squash(answer)
    found = sum(1 for alternatives in key_facts if any(_squash(alt) in text for alt in alternatives))
    return found / len(key_facts)


def citation_precision(
    cited: Sequence[tuple[str, frozenset[str]]], gold: Sequence[GoldTarget]
) -> float | None:
    """Share of cited passages that lie on a gold page; None if nothing was cited or there is no gold."""
    if not cited or not gold:
        return None
    return sum(1 for doc, pages in cited if on_gold_page(doc, pages, gold)) / len(cited)


def citation_recall(cited: Sequence[tuple[str, frozenset[str]]], gold: Sequence[GoldTarget]) -> float | None:
    """Share of gold targets (one per gold entry: a document and its pages) hit by at least one citation."""
    if not gold:
        return None
    return targets_hit(cited, gold) / len(gold)


def refusal_scores(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """Precision and recall of refusing, from (expected_refusal, refused) pairs; positive = refused."""
    tp = fp = fn = 0
    for expected, refused in pairs:
        tp += expected and refused
        fp += refused and not expected
        fn += expected and not refused
    return {
        "refusal_precision": tp / (tp + fp) if tp + fp else None,
        "refusal_recall": tp / (tp + fn) if tp + fn else None,
    }


# --- language ------------------------------------------------------------------------------------

# Frequent function words that are unambiguous between the two languages. Words spelled the same in
# both ("in", "an", "so", "was", "will", "also", "man", "hat"...) are left out on purpose.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GERMAN_WORDS = _words(
    "der die das den dem des ein eine einer eines einem einen und oder nicht ist sind wird werden wurde "
    "wurden mit für auf von zu zum zur bei aus nach über unter durch sich auch noch nur wie sowie dass "
    "laut keine kein soll sollen können kann im ins vom am beim bis wenn weil sie wir ihr es er"
)
ENGLISH_WORDS = _words(
    "the a of and or not is are was were be been with for on from to at by this that these those it its "
    "which who what there their they we you he she has have had will would can could should about into "
    "than then only also but if"
)
_WORD = re.compile(r"[^\W\d_]+")
_UMLAUTS = re.compile(r"[äöüÄÖÜß]")


def german_share(text: str) -> float | None:
    """Evidence share for German: (German function words + words with umlauts/ß) / (that + English ones).

    An honest heuristic, not a language detector: it counts a fixed list of unambiguous function words of
    each language and treats a word with ä/ö/ü/ß as German evidence. Quoted English terms in a German
    answer lower the share a little; a text with no function words at all yields None (undecided).
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    german = sum(1 for w in words if w in GERMAN_WORDS or _UMLAUTS.search(w))
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    if german + english == 0:
        return None
    return german / (german + english)


def is_german(text: str, threshold: float = 0.6) -> bool | None:
    """Whether the text reads as German by `german_share` (None when undecided)."""
    share = german_share(text)
    return None if share is None else share >= threshold


# --- aggregation ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation between order statistics (like numpy)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that are not None (booleans count as 0/1); None if there are none."""
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None
