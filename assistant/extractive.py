"""Offline answers: the sentences that best answer the question, each with its citation marker.

Sentence selection uses cheap evidence only (no embedding at query time): the fused score of the
chunk a sentence comes from, and the idf-weighted share of the question's terms the sentence holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.sentences import split_sentences
from assistant.types import Hit

MAX_SENTENCES = 4
MAX_CHARS = 700
MAX_HITS = 6
MIN_WORDS = 5
MIN_LOWER_WORDS = 2  # headings, title pages and table headers are mostly capitalised German nouns
LONG_SENTENCE = 320  # flattened tables become one long "sentence"; quote only its best window
WINDOW_WORDS = 30
SECTION_CREDIT = 0.85  # a sentence under a heading that names the topic is about the topic
REDUNDANT = 0.6  # Jaccard overlap of analysed terms above which a sentence adds nothing new
RELATIVE_COVERAGE = 0.6  # a sentence must hold this share of the best sentence's coverage


@dataclass
class TopicTerms:
    """The question's terms: idf weights, and alternatives that count as the same term."""

    weights: dict[str, float] = field(default_factory=dict)
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    expansion: list[str] = field(default_factory=list)  # words added to the retrieval query

    def __bool__(self) -> bool:
        return bool(self.weights)

    def coverage(self, terms: set[str] | frozenset[str]) -> float:
        """Idf-weighted share of the question's terms found among `terms`."""
        total = sum(self.weights.values())
        found = sum(
            w
            for t, w in self.weights.items()
            if t in terms or not self.alternatives.get(t, frozenset()).isdisjoint(terms)
        )
        return found / total if total else 0.0


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved chunk, scored against the question."""

    hit_rank: int
    position: int
    text: str
    terms: frozenset[str]
    score: float
    coverage: float


@dataclass(frozen=True)
class Selection:
    """The chosen sentences and the evidence strength behind them."""

    sentences: list[Candidate]
    coverage: float  # best idf-weighted share of question terms in one sentence or its chunk
    dense: float  # best cosine similarity among the hits
    broad: bool = False  # the question has no topic terms: sentences chosen by retrieval strength alone


def is_prose(sentence: str) -> bool:
    """Tell a sentence from a heading, a title line or a table header."""
    words = sentence.split()
    lower = sum(1 for w in words if len(w) >= 3 and w[0].islower())
    return len(words) >= MIN_WORDS and lower >= MIN_LOWER_WORDS


def best_window(sentence: str, weights: TopicTerms, analyze: Callable[[str], list[str]]) -> str:
    """For an over-long sentence, the window of words that covers the question best."""
    words = sentence.split()
    if len(sentence) <= LONG_SENTENCE or len(words) <= WINDOW_WORDS:
        return sentence
    step = WINDOW_WORDS // 2
    starts = range(0, max(1, len(words) - WINDOW_WORDS + step), step)
    best = max(
        starts, key=lambda i: (weights.coverage(set(analyze(" ".join(words[i : i + WINDOW_WORDS])))), -i)
    )
    window = " ".join(words[best : best + WINDOW_WORDS])
    return ("… " if best else "") + window + (" …" if best + WINDOW_WORDS < len(words) else "")


def score_sentences(
    hits: list[Hit], weights: TopicTerms, analyze: Callable[[str], list[str]]
) -> list[Candidate]:
    """Score every sentence of the top hits."""
    if not hits:
        return []
    top = max(h.score for h in hits) or 1.0
    out: list[Candidate] = []
    for rank, hit in enumerate(hits[:MAX_HITS]):
        chunk_cov = weights.coverage(set(analyze(hit.chunk.text)))
        heading = hit.chunk.section[-1] if hit.chunk.section else ""
        section_cov = SECTION_CREDIT * weights.coverage(set(analyze(heading)))
        for position, sentence in enumerate(split_sentences(hit.chunk.text)):
            if not is_prose(sentence):
                continue
            text = best_window(sentence, weights, analyze)
            terms = frozenset(analyze(text))
            coverage = max(weights.coverage(terms), section_cov)
            score = 0.45 * hit.score / top + 0.4 * coverage + 0.15 * chunk_cov - 0.02 * rank - 0.01 * position
            out.append(Candidate(rank, position, text, terms, score, coverage))
    return out


def _redundant(candidate: Candidate, chosen: list[Candidate]) -> bool:
    for other in chosen:
        union = candidate.terms | other.terms
        if union and len(candidate.terms & other.terms) / len(union) > REDUNDANT:
            return True
    return False


def select_sentences(
    hits: list[Hit],
    weights: TopicTerms,
    analyze: Callable[[str], list[str]],
    *,
    spread_over: Callable[[Hit], str] | None = None,
) -> Selection:
    """Pick the best non-redundant sentences; with `spread_over`, first the best of each group.

    `spread_over` maps a hit to a group key (e.g. the charter version in a comparison question), so
    that every group the question asks about is represented before the rest is filled by score.
    """
    candidates = sorted(
        score_sentences(hits, weights, analyze), key=lambda c: (-c.score, c.hit_rank, c.position)
    )
    best_cov = max((c.coverage for c in candidates), default=0.0)
    broad = not weights
    if not broad:
        candidates = [c for c in candidates if c.coverage > 0 and c.coverage >= RELATIVE_COVERAGE * best_cov]
    chosen: list[Candidate] = []
    if spread_over is not None:
        seen: set[str] = set()
        for cand in candidates:
            key = spread_over(hits[cand.hit_rank])
            if key not in seen:
                seen.add(key)
                chosen.append(cand)
    for cand in candidates:
        if len(chosen) >= MAX_SENTENCES or sum(len(c.text) for c in chosen) + len(cand.text) > MAX_CHARS:
            continue
        if cand not in chosen and not _redundant(cand, chosen):
            chosen.append(cand)
    dense = max((h.dense for h in hits[:MAX_HITS] if h.dense is not None), default=0.0)
    return Selection(chosen, best_cov, dense, broad)
