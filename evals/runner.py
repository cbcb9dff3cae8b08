"""Run gold questions through the same answer service the API uses, and score every answer.

For each mode the runner asks `answerer.gather(question)` for the hits the service retrieves (retrieval
metrics) and `answerer.answer(question)` for the answer (key facts, citations, refusals, latency); it
never re-implements retrieval.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from assistant.answering import AnswerService, Question
from assistant.retrieval import Mode
from assistant.services import Services
from assistant.types import Answer, Chunk, Filters, Hit
from evals import metrics

log = logging.getLogger(__name__)

LLM_MODE = "hybrid+llm"
RECALL_CUTOFFS = (1, 3, 5, 10)
RETRIEVAL_METRICS = (*(f"recall@{k}" for k in RECALL_CUTOFFS), "mrr@10", "ndcg@10")
KEPT_HITS = 10
SNIPPET_CHARS = 120  # of each kept hit's text: enough to see what it is about, small enough to commit
CATEGORY_ORDER = ("factual", "sector", "forum", "comparison", "followup", "unanswerable")
# user_group values that stand for ITAS staff, who may see internal documents (as in the staff UI). The
# gold set's groups (unternehmer, mitarbeitende = employees of firms, besucher) are all public users.
STAFF_GROUPS = frozenset({"staff", "internal", "intern"})


class GoldLike(Protocol):
    """The fields of `evals.gold.GoldItem` the runner reads."""

    id: str
    category: str
    question: str
    history: list[tuple[str, str]]
    gold: list[tuple[str, tuple[str, ...]]]
    key_facts: list[list[str]]
    refusal: bool
    user_group: str


@dataclass
class ItemResult:
    """One gold question answered in one mode, with what was retrieved and its scores."""

    id: str
    mode: str
    category: str
    question: str
    user_group: str
    expected_refusal: bool
    gold: list[tuple[str, list[str]]]
    retrieved: list[dict[str, Any]]  # doc_id, page_start, page_end, score, on_gold, section, text
    answer: str
    refused: bool
    citations: list[dict[str, Any]]  # n, doc_id, page, on_gold
    metrics: dict[str, float | None]
    missing_facts: list[list[str]]
    latency_ms: float
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RunResults:
    """All per-question results of a gold run and their aggregates per mode (overall and per category)."""

    modes: list[str]
    items: list[ItemResult]
    summary: dict[str, dict[str, Any]]  # mode → {"overall": {...}, "by_category": {cat: {...}}}
    k: int  # passages the answer service retrieves (Recall@k beyond this equals Recall@k)
    seconds: float

    def failing(self, mode: str) -> list[ItemResult]:
        """Items of a mode that missed gold in the top 5, missed key facts or refused wrongly."""
        return [r for r in self.items if r.mode == mode and r.failures]


def filters_for(user_group: str) -> Filters:
    """The filters the surfaces would pass for this kind of user (staff may see internal documents)."""
    if user_group.strip().casefold() in STAFF_GROUPS:
        return Filters(audiences=("public", "internal"))
    return Filters()


def _chunk_pages(chunk: Chunk) -> frozenset[str]:
    return metrics.page_span(chunk.page_start, chunk.page_end)


def attainable_relevant(chunks: Iterable[Chunk], gold: Sequence[metrics.GoldTarget], per_page: int) -> int:
    """How many gold-page chunks the retriever can return at best (it keeps ≤ per_page per page)."""
    groups: dict[tuple[str, str], int] = {}
    for chunk in chunks:
        if metrics.on_gold_page(chunk.doc_id, _chunk_pages(chunk), gold):
            key = (chunk.doc_id, chunk.page_start)
            groups[key] = groups.get(key, 0) + 1
    return sum(min(n, per_page) if per_page > 0 else n for n in groups.values())


def retrieval_metrics(relevant: Sequence[bool], n_relevant: int) -> dict[str, float | None]:
    """Recall@1/3/5/10, MRR@10 and nDCG@10 of one ranking."""
    out: dict[str, float | None] = {f"recall@{k}": metrics.recall_at_k(relevant, k) for k in RECALL_CUTOFFS}
    out["mrr@10"] = metrics.mrr_at_k(relevant, 10)
    out["ndcg@10"] = metrics.ndcg_at_k(relevant, 10, n_relevant)
    return out


@dataclass(frozen=True)
class IndexView:
    """What scoring needs to know about the index: its chunks and the per-page cap of the retriever."""

    chunks: list[Chunk]
    max_per_page: int


def answer_scores(
    item: GoldLike, answer: Answer, cited: list[tuple[str, frozenset[str]]]
) -> dict[str, float | None]:
    """Key-fact coverage, citation precision/recall, refusal correctness and German-ness of one answer."""
    gold = [(doc, tuple(pages)) for doc, pages in item.gold]
    answerable = not item.refusal
    german = metrics.is_german(answer.answer)
    return {
        "key_facts": metrics.key_fact_coverage(answer.answer, item.key_facts) if answerable else None,
        "citation_precision": metrics.citation_precision(cited, gold) if answerable else None,
        "citation_recall": metrics.citation_recall(cited, gold) if answerable else None,
        "refusal_correct": float(answer.refused == item.refusal),
        "german": None if german is None else float(german),
    }


def _hit_row(hit: Hit, on_gold: bool) -> dict[str, Any]:
    chunk = hit.chunk
    return {
        "doc_id": chunk.doc_id,
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "score": round(hit.score, 4),
        "on_gold": on_gold,
        "section": chunk.section_title,
        "text": " ".join(chunk.text.split())[:SNIPPET_CHARS],
    }


def score_item(item: GoldLike, mode: str, hits: list[Hit], answer: Answer, view: IndexView) -> ItemResult:
    """Score one answered question: retrieval, key facts, citations, refusal, language."""
    gold = [(doc, tuple(pages)) for doc, pages in item.gold]
    relevant = [metrics.on_gold_page(h.chunk.doc_id, _chunk_pages(h.chunk), gold) for h in hits]
    scores: dict[str, float | None] = dict.fromkeys(RETRIEVAL_METRICS)
    if gold and not item.refusal:
        scores = retrieval_metrics(relevant, attainable_relevant(view.chunks, gold, view.max_per_page))
    cited = [(c.doc_id, metrics.parse_page_label(c.page)) for c in answer.citations]
    scores.update(answer_scores(item, answer, cited))
    facts = [] if item.refusal else item.key_facts
    result = ItemResult(
        id=item.id,
        mode=mode,
        category=item.category,
        question=item.question,
        user_group=item.user_group,
        expected_refusal=item.refusal,
        gold=[(doc, list(pages)) for doc, pages in gold],
        retrieved=[_hit_row(h, rel) for h, rel in list(zip(hits, relevant, strict=True))[:KEPT_HITS]],
        answer=answer.answer,
        refused=answer.refused,
        citations=[
            {"n": c.n, "doc_id": c.doc_id, "page": c.page, "on_gold": metrics.on_gold_page(d, p, gold)}
            for c, (d, p) in zip(answer.citations, cited, strict=True)
        ],
        metrics=scores,
        missing_facts=[alts for alts in facts if metrics.key_fact_coverage(answer.answer, [alts]) == 0.0],
        latency_ms=float(answer.timings_ms.get("total", 0.0)),
    )
    result.failures = failure_reasons(result)
    return result


def failure_reasons(result: ItemResult) -> list[str]:
    """Why a result counts as failing: missed gold in the top 5, missing key facts, wrong refusal."""
    reasons = []
    if result.metrics.get("recall@5") == 0.0:
        reasons.append("gold not in top 5")
    if result.missing_facts:
        reasons.append(f"{len(result.missing_facts)} key fact(s) missing")
    if result.refused != result.expected_refusal:
        reasons.append("refused although answerable" if result.refused else "answered although unanswerable")
    return reasons


def ask(answerer: AnswerService, item: GoldLike) -> tuple[list[Hit], Answer]:
    """Retrieve (gather) and answer one gold question through the given answer service."""
    question = Question(item.question, list(item.history), filters_for(item.user_group))
    evidence = answerer.gather(question)
    return evidence.hits, answerer.answer(question)


def answerers(services: Services, modes: Sequence[str], llm: bool) -> dict[str, AnswerService]:
    """One answer service per mode over the same index; "hybrid+llm" only when an endpoint is configured."""
    out: dict[str, AnswerService] = {}
    for mode in modes:
        if mode == LLM_MODE:
            continue
        out[mode] = services.with_mode(_as_mode(mode), use_llm=False)
    if llm or LLM_MODE in modes:
        if services.chat is None:
            log.warning("no LLM endpoint configured (ITAS_LLM__BASE_URL); skipping mode %s", LLM_MODE)
        else:
            out[LLM_MODE] = services.with_mode("hybrid", use_llm=True)
    return out


def _as_mode(mode: str) -> Mode:
    if mode not in ("hybrid", "dense", "lexical"):
        raise ValueError(f"unknown mode {mode!r}; valid: lexical, dense, hybrid, {LLM_MODE}")
    return mode  # type: ignore[return-value]


def run_gold(
    services: Services,
    items: Sequence[GoldLike],
    *,
    modes: Sequence[str] = ("lexical", "dense", "hybrid"),
    llm: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> RunResults:
    """Answer every gold item in every mode and aggregate per mode and category."""
    started = time.perf_counter()
    services_by_mode = answerers(services, modes, llm)
    results: list[ItemResult] = []
    for mode, answerer in services_by_mode.items():
        view = IndexView(answerer.retriever.snapshot().chunks, services.settings.retrieval.max_per_page)
        for n, item in enumerate(items, start=1):
            hits, answer = ask(answerer, item)
            results.append(score_item(item, mode, hits, answer, view))
            if progress:
                progress(mode, n, len(items))
    modes_run = list(services_by_mode)
    summary = {mode: summarize([r for r in results if r.mode == mode]) for mode in modes_run}
    return RunResults(
        modes_run, results, summary, services.settings.retrieval.k, time.perf_counter() - started
    )


def aggregate(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Mean of every metric, refusal precision/recall, latency p50/p95 and the count of a result group."""
    out: dict[str, Any] = {"n": len(results)}
    names = sorted({name for r in results for name in r.metrics})
    for name in names:
        out[name] = metrics.mean(r.metrics.get(name) for r in results)
    out.update(metrics.refusal_scores((r.expected_refusal, r.refused) for r in results))
    latencies = [r.latency_ms for r in results]
    out["latency_ms_p50"] = metrics.percentile(latencies, 50)
    out["latency_ms_p95"] = metrics.percentile(latencies, 95)
    out["failing"] = sum(1 for r in results if r.failures)
    return out


def summarize(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Aggregates of one mode: overall and per category."""
    categories = ordered_categories(r.category for r in results)
    return {
        "overall": aggregate(results),
        "by_category": {c: aggregate([r for r in results if r.category == c]) for c in categories},
    }


def ordered_categories(categories: Iterable[str]) -> list[str]:
    """Categories in the gold set's order, unknown ones after them alphabetically."""
    present = set(categories)
    known = [c for c in CATEGORY_ORDER if c in present]
    return known + sorted(present - set(CATEGORY_ORDER))
