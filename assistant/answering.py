"""The answer service: plan the query, retrieve, then answer extractively or with the LLM."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from assistant import strings
from assistant.abstention import Decision, decide
from assistant.citations import make_citation
from assistant.errors import BackendUnavailable, RequestError
from assistant.evidence import Candidate, Selection, make_context, select_sentences
from assistant.outline import OutlineMatch, find_outline
from assistant.planning import QueryPlan
from assistant.protocols import ChatModel
from assistant.question import Analysis, AnswerType, analyse
from assistant.retrieval import HybridRetriever
from assistant.settings import RetrievalSettings
from assistant.snapshot import IndexSnapshot
from assistant.types import Answer, Citation, Filters, Hit
from assistant.views.compare import change_topic, compare
from assistant.views.sectors import business_context
from assistant.views.series import successors

log = logging.getLogger(__name__)
PINNED_SCORE = 0.9  # an aligned version section ranks just below the best hit
BUSINESS_TERMS = 4  # the sector's most specific charter words added to the embedded question
SUCCESSOR_HITS = 3  # an older version's passage this high among the hits is followed into later versions
BROAD_TYPES = frozenset({AnswerType.LIST, AnswerType.COMPARISON})  # answers that gather several facts


@dataclass(frozen=True)
class Question:
    """One question as the surfaces pass it in."""

    text: str
    history: list[tuple[str, str]] = field(default_factory=list)  # (role, text), oldest first
    filters: Filters = field(default_factory=Filters)
    current_only: bool = False


@dataclass(frozen=True)
class Evidence:
    """What retrieval and sentence scoring found for an analysed question, and the refusal decision."""

    analysis: Analysis
    hits: list[Hit]
    selection: Selection
    snap: IndexSnapshot
    decision: Decision
    outline: OutlineMatch | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    query_vector: np.ndarray | None = None
    sector: bool = False  # the question describes a business of a sector the catalogue knows

    @property
    def plan(self) -> QueryPlan:
        return self.analysis.plan


class AnswerService:
    """Answer German questions with citations; the one code path for API, CLI, UI and widget."""

    def __init__(
        self, retriever: HybridRetriever, chat: ChatModel | None, settings: RetrievalSettings
    ) -> None:
        self.retriever = retriever
        self.chat = chat
        self._settings = settings

    def answer(self, question: Question | str, **kwargs: Any) -> Answer:
        """Answer a question (a `Question`, or text plus Question's fields as keywords)."""
        q = question if isinstance(question, Question) else Question(question, **kwargs)
        started = time.perf_counter()
        evidence = self.gather(q)
        timings = {"retrieve": (time.perf_counter() - started) * 1000, **evidence.timings_ms}
        answer = self._compose(evidence)
        timings["total"] = (time.perf_counter() - started) * 1000
        answer.timings_ms = {k: round(v, 2) for k, v in timings.items()}
        return answer

    def stream(self, question: Question) -> Iterator[tuple[str, Any]]:
        """Yield ("delta", text) pieces, then ("citations", list) and ("done", answer dict).

        With an LLM, text is streamed as generated; markers are checked on the fly. If the finished
        text turns out to carry no valid citation, `done` holds the extractive answer that replaces it.
        """
        started = time.perf_counter()
        evidence = self.gather(question)
        answer: Answer | None = None
        if self.chat is not None and not evidence.decision.refuse:
            answer = yield from self._stream_llm(evidence)
        if answer is None:
            answer = self._compose(evidence, use_llm=False)
            if self.chat is not None and not answer.refused:
                answer.note = strings.LLM_FALLBACK_NOTE
            for piece in _pieces(answer.answer):
                yield "delta", piece
        answer.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 2)}
        yield "citations", [asdict(c) for c in answer.citations]
        yield "done", answer.to_dict()

    def gather(self, q: Question, *, judge: bool = True) -> Evidence:
        """Analyse the question, retrieve, score sentences and decide whether to answer (`judge=False`:
        leave the decision open, as calibration does while it fits the model that makes it)."""
        snap = self.retriever.snapshot()
        analysis = analyse(q.text, q.history, q.filters, snap, chat=self.chat, current_only=q.current_only)
        vector = self.retriever.embed(analysis.query)
        business = business_context(analysis.text, snap, vector)  # "Wir machen Kabelbäume …"
        if business and business.terms and vector is not None:
            # the charter's words for the sector help the dense side too ("Spritzgießer" → Kunststofftechnik)
            vector = self.retriever.embed(" ".join([analysis.query, *business.terms[:BUSINESS_TERMS]]))
        found = self.retriever.search(
            analysis.query,
            self._settings.k,
            analysis.plan.filters,
            snap,
            vector=vector,
            expansion=business.terms if business else (),
        )
        hits = self._with_version_passages(analysis, snap, found.hits)
        if business and business.passages:
            hits = self._pinned(analysis, snap, hits, business.passages)
        context = make_context(
            analysis.terms,
            analysis.answer_type,
            snap,
            found.query_vector,
            prefer_current=analysis.plan.filters.versions is None and not analysis.spread_versions,
            superlative=analysis.superlative,
        )
        broad = bool(business) or analysis.spread_versions or analysis.answer_type in BROAD_TYPES
        selection = select_sentences(
            hits, context, spread_versions=analysis.spread_versions, broad_answer=broad
        )
        outline = None
        if analysis.parts_noun and hits:
            outline = find_outline(analysis.parts_noun, hits, snap, snap.lexical.analyze)
        sector = business is not None
        decision = (
            decide(analysis, selection, self.retriever.mode, sector=sector)
            if judge
            else Decision(False, "unjudged")
        )
        if outline is not None and decision.reason in ("model", "detail_missing"):
            decision = Decision(False, "", decision.probability)
        return Evidence(
            analysis, hits, selection, snap, decision, outline, found.timings_ms, found.query_vector, sector
        )

    def _with_version_passages(self, analysis: Analysis, snap: IndexSnapshot, hits: list[Hit]) -> list[Hit]:
        """For a question about what changed, add the sections the version comparison aligns for its topic
        (one per version of the charter family), so the answer can cite every version it talks about."""
        if not analysis.spread_versions or len(snap.known_versions) < 2 or not hits:
            return hits
        # What became of the best older-version passage: its aligned sections in the later versions.
        older = next((h for h in hits[:SUCCESSOR_HITS] if snap.superseded_by(h.chunk.meta)), None)
        pins = successors(snap, older.chunk.chunk_id) if older else []
        topic = change_topic(analysis.text)
        if topic is not None:
            try:
                rows = compare(snap, self.retriever.embedder, topic)["rows"]
            except (RequestError, ValueError) as exc:
                log.info("no version comparison for %r: %s", topic, exc)
                rows = []
            pins += [r["passage"]["chunk_ids"][0] for r in rows if r.get("passage")]
        return self._pinned(analysis, snap, hits, pins)

    def _pinned(
        self, analysis: Analysis, snap: IndexSnapshot, hits: list[Hit], chunk_ids: list[str]
    ) -> list[Hit]:
        """Put passages a view chose (the sections of each version, a sector's charter profile and offer)
        just below the two best hits, unless retrieval found them already or the filters exclude them."""
        present = {h.chunk.chunk_id for h in hits}
        pinned = [
            Hit(snap.by_id[cid], hits[0].score * PINNED_SCORE)
            for cid in dict.fromkeys(chunk_ids)
            if cid in snap.by_id
            and cid not in present
            and analysis.plan.filters.matches(snap.by_id[cid].meta)
        ]
        return [*hits[:2], *pinned, *hits[2:]][: max(len(hits), self._settings.k)]

    def _compose(self, evidence: Evidence, *, use_llm: bool = True) -> Answer:
        if evidence.decision.refuse:
            return refusal(evidence)
        if self.chat is not None and use_llm:
            try:
                return self._llm_answer(evidence)
            except BackendUnavailable as exc:
                log.warning("LLM unavailable, falling back to extractive: %s", exc)
                answer = extractive_answer(evidence)
                answer.note = strings.LLM_FALLBACK_NOTE
                return answer
        return extractive_answer(evidence)

    def _llm_answer(self, evidence: Evidence) -> Answer:
        from assistant.llm_answer import build_messages, check_reply, is_refusal

        assert self.chat is not None
        text = self.chat.complete(build_messages(evidence.plan.query, evidence.hits))
        return _llm_result(text, evidence, check_reply, is_refusal)

    def _stream_llm(self, evidence: Evidence) -> Generator[tuple[str, Any], None, Answer | None]:
        """Stream the model's reply through a gate that shows only checked, grounded sentences."""
        from assistant.llm_answer import ReplyGate, build_messages, check_reply, is_refusal

        assert self.chat is not None
        gate = ReplyGate(evidence.hits)
        streamed: list[str] = []
        try:
            for piece in self.chat.stream(build_messages(evidence.plan.query, evidence.hits)):
                out = gate.feed(piece)
                if out:
                    streamed.append(out)
                    yield "delta", out
        except BackendUnavailable as exc:
            log.warning("LLM stream failed: %s", exc)
            if not streamed:
                return None
        tail = gate.flush()
        if tail:
            streamed.append(tail)
            yield "delta", tail
        return _llm_result("".join(streamed), evidence, check_reply, is_refusal)


def _llm_result(text: str, evidence: Evidence, check: Any, is_refusal: Any) -> Answer:
    """Keep the grounded sentences with valid markers (`llm_answer.check_reply`); a reply with nothing left,
    or without a valid citation, falls back to the extractive answer."""
    if text.strip() and is_refusal(text):
        return refusal(evidence)
    cleaned, used = check(text, evidence.hits)
    if not used:
        answer = extractive_answer(evidence)
        answer.note = strings.LLM_FALLBACK_NOTE
        return answer
    citations = [
        make_citation(n, evidence.hits[n - 1], evidence.hits[n - 1].chunk.text, evidence.snap) for n in used
    ]
    return Answer(cleaned.strip(), False, "llm", citations, evidence.plan.filters.to_dict())


def extractive_answer(evidence: Evidence) -> Answer:
    """Compose the chosen sentences (and an outline, if the question asks for parts) into a short German
    answer with [n] markers, grouped by source, current sources first."""
    by_hit: dict[int, list[Candidate]] = {}
    for cand in evidence.selection.sentences:
        by_hit.setdefault(cand.hit_rank, []).append(cand)
    lines: list[str] = []
    citations: list[Citation] = []
    outline = evidence.outline
    if outline is not None:
        parts = "; ".join(outline.parts)
        hit = Hit(outline.chunk, evidence.hits[outline.hit_rank].score)
        text = strings.OUTLINE_LEAD.format(heading=outline.heading, parts=parts)
        citations.append(make_citation(1, hit, text, evidence.snap))
        lines.append(f"{_lead(citations[0], hit)}: {text}. [1]")
    groups = sorted(
        by_hit.items(),
        key=lambda item: evidence.snap.superseded_by(evidence.hits[item[0]].chunk.meta) is not None,
    )
    for rank, cands in groups:
        n = len(citations) + 1
        hit = evidence.hits[rank]
        ordered = sorted(cands, key=lambda c: c.position)
        citation = make_citation(n, hit, " ".join(c.text for c in ordered), evidence.snap)
        citations.append(citation)
        lines.append(f"{_lead(citation, hit)}: " + " ".join(f"{c.text} [{n}]" for c in ordered))
    return Answer("\n".join(lines), False, "extractive", citations, evidence.plan.filters.to_dict())


def _lead(citation: Citation, hit: Hit) -> str:
    lead = strings.SOURCE_LEAD.format(title=hit.chunk.meta.title)
    if citation.superseded_by:
        lead += strings.SUPERSEDED.format(version=citation.superseded_by)
    return lead


def refusal(evidence: Evidence) -> Answer:
    """The German refusal, saying which detail is missing when the topic is present, with related passages."""
    related: list[dict[str, Any]] = []
    for hit in evidence.hits:
        if hit.chunk.doc_id not in {r["doc_id"] for r in related}:
            related.append(
                {"doc_id": hit.chunk.doc_id, "title": hit.chunk.meta.title, "page": hit.chunk.page_label}
            )
        if len(related) == 3:
            break
    decision = evidence.decision
    if decision.reason == "detail_missing" and decision.missing_detail is not None:
        detail = strings.DETAIL_NAMES.get(decision.missing_detail.value, "Angaben")
        text = strings.DETAIL_MISSING.format(detail=detail)
        intro = strings.RELATED_PASSAGES
    elif decision.reason == "no_documents":
        text, intro = strings.NO_MATCHING_DOCUMENTS, strings.RELATED_INTRO
        related = []
    else:
        text, intro = strings.REFUSAL, strings.RELATED_INTRO
    if related:
        text += f"\n{intro} " + "; ".join(f"{r['title']} (S. {r['page']})" for r in related)
    return Answer(text, True, "extractive", [], evidence.plan.filters.to_dict(), related=related)


def _pieces(text: str, size: int = 24) -> Iterator[str]:
    """Split a finished answer into word-aligned pieces that join back to exactly `text`."""
    piece = ""
    for token in re.findall(r"\S+\s*|\s+", text):
        piece += token
        if len(piece) >= size:
            yield piece
            piece = ""
    if piece:
        yield piece
