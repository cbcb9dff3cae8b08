"""The answer service: plan the query, retrieve, then answer extractively or with the LLM."""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from assistant import strings
from assistant.citations import make_citation
from assistant.errors import BackendUnavailable
from assistant.extractive import Candidate, Selection, TopicTerms, select_sentences
from assistant.planning import QueryPlan, plan_query
from assistant.protocols import ChatModel
from assistant.retrieval import HybridRetriever
from assistant.settings import RetrievalSettings
from assistant.snapshot import IndexSnapshot
from assistant.synonyms import expansions
from assistant.types import Answer, Citation, Filters, Hit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Question:
    """One question as the surfaces pass it in."""

    text: str
    history: list[tuple[str, str]] = field(default_factory=list)  # (role, text), oldest first
    filters: Filters = field(default_factory=Filters)
    current_only: bool = False


@dataclass(frozen=True)
class Evidence:
    """What retrieval found for a planned question."""

    plan: QueryPlan
    hits: list[Hit]
    selection: Selection
    snap: IndexSnapshot


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
        timings = {"retrieve": (time.perf_counter() - started) * 1000, **self.retriever.last_timings_ms}
        answer = self._compose(q, evidence)
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
        if self.chat is not None and not self._refuse(evidence):
            answer = yield from self._stream_llm(evidence)
        if answer is None:
            answer = self._compose(question, evidence, use_llm=False)
            if self.chat is not None and not answer.refused:
                answer.note = strings.LLM_FALLBACK_NOTE
            for piece in _pieces(answer.answer):
                yield "delta", piece
        answer.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 2)}
        yield "citations", [asdict(c) for c in answer.citations]
        yield "done", answer.to_dict()

    def gather(self, q: Question) -> Evidence:
        """Plan the query (filters, follow-ups) and retrieve; relax auto-detected filters if they starve it."""
        snap = self.retriever.snapshot()
        plan = plan_query(q.text, q.history, q.filters, chat=self.chat)
        filters = plan.filters
        if (q.current_only or plan.current_only) and snap.latest_version:
            older = tuple(v for v in snap.known_versions if v != snap.latest_version)
            filters = replace(filters, exclude_versions=older or None)
        evidence = self._retrieve(plan, filters, snap)
        if plan.auto_filtered and (not evidence.hits or self._refuse(evidence)):
            relaxed = self._retrieve(plan, replace(filters, **plan.relaxed_fields()), snap)
            if relaxed.hits and not self._refuse(relaxed):
                return relaxed
        return evidence

    def _retrieve(self, plan: QueryPlan, filters: Filters, snap: IndexSnapshot) -> Evidence:
        terms = topic_terms(snap, plan.focus)
        query = " ".join([plan.query, *terms.expansion])
        hits = self.retriever.retrieve(query, self._settings.k, filters)
        spread = (lambda h: h.chunk.meta.version or "") if plan.versions and len(plan.versions) > 1 else None
        selection = select_sentences(hits, terms, snap.lexical.analyze, spread_over=spread)
        return Evidence(replace(plan, filters=filters), hits, selection, snap)

    def _refuse(self, evidence: Evidence) -> bool:
        sel = evidence.selection
        if not evidence.hits or not sel.sentences:
            return True
        s = self._settings
        if sel.broad:  # the question names only its source ("Was kam beim Forum im Vogtland heraus?")
            return self.retriever.mode != "lexical" and sel.dense < s.min_dense
        return sel.coverage < s.min_coverage or (self.retriever.mode != "lexical" and sel.dense < s.min_dense)

    def _compose(self, q: Question, evidence: Evidence, *, use_llm: bool = True) -> Answer:
        if self._refuse(evidence):
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
        from assistant.llm_answer import build_messages, is_refusal, validate_markers

        assert self.chat is not None
        text = self.chat.complete(build_messages(evidence.plan.query, evidence.hits))
        return _llm_result(text, evidence, validate_markers, is_refusal)

    def _stream_llm(self, evidence: Evidence) -> Generator[tuple[str, Any], None, Answer | None]:
        from assistant.llm_answer import build_messages, is_refusal, validate_markers

        assert self.chat is not None
        gate = MarkerGate(len(evidence.hits))
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
        return _llm_result("".join(streamed), evidence, validate_markers, is_refusal)


class MarkerGate:
    """Pass streamed text through, dropping citation markers that point to no passage."""

    _MARKER = re.compile(r"\[([^\[\]\n]{1,16})\]")

    def __init__(self, n_passages: int) -> None:
        self._n = n_passages
        self._buffer = ""

    def _clean(self, text: str) -> str:
        def keep(match: re.Match[str]) -> str:
            numbers = re.findall(r"\d+", match.group(1))
            valid = [int(x) for x in numbers if 1 <= int(x) <= self._n]
            if not numbers or not re.fullmatch(r"[\d\s,;–-]+", match.group(1)):
                return match.group(0)
            return "".join(f"[{v}]" for v in valid)

        return self._MARKER.sub(keep, text)

    def feed(self, piece: str) -> str:
        """Add a piece; return what is safe to show (an unfinished marker is held back)."""
        self._buffer += piece
        cut = self._buffer.rfind("[")
        if cut == -1 or "]" in self._buffer[cut:] or len(self._buffer) - cut > 16:
            cut = len(self._buffer)
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return self._clean(ready)

    def flush(self) -> str:
        """Return whatever is still held back."""
        ready, self._buffer = self._buffer, ""
        return self._clean(ready)


def topic_terms(snap: IndexSnapshot, focus: str) -> TopicTerms:
    """What an answer must be about: each analysed question term with its idf weight and the
    alternatives that count as the same term (everyday synonyms, typo corrections).

    Coverage is measured on the question without its filter words ("in Plauen", "Charta 2.0"), so a
    passage that merely shares the place name does not count as an answer. A term the corpus never
    uses weighs most (df = 0): a question about it cannot be answered from these documents.
    """
    lexical = snap.lexical
    unseen = math.log(1 + (len(lexical.ids) + 0.5) / 0.5)
    terms = TopicTerms()
    for word, synonyms in ((w, expansions([w]).get(w, ())) for w in re.findall(r"[\w-]+", focus)):
        terms.expansion.extend(synonyms)
        analysed = lexical.analyze(word)
        known = lexical.term_weights(word)
        for position, term in enumerate(analysed):
            if term in terms.weights:
                continue
            if position == 0 and term not in known and any(part in known for part in analysed[1:]):
                continue  # an unseen compound whose parts are known ("Autoindustrie"): the parts count
            alternatives = {a for synonym in synonyms for a in lexical.analyze(synonym)}
            if term not in known and (near := lexical.closest_term(term)):
                alternatives.add(near)
                terms.expansion.append(near)
            terms.weights[term] = known.get(term, unseen)
            terms.alternatives[term] = frozenset(alternatives)
    return terms


def _llm_result(text: str, evidence: Evidence, validate: Any, is_refusal: Any) -> Answer:
    """Keep valid markers only (numbered as the passages); no valid citation → extractive fallback."""
    if is_refusal(text):
        return refusal(evidence)
    cleaned, used = validate(text, len(evidence.hits))
    if not used:
        answer = extractive_answer(evidence)
        answer.note = strings.LLM_FALLBACK_NOTE
        return answer
    citations = [
        make_citation(n, evidence.hits[n - 1], evidence.hits[n - 1].chunk.text, evidence.snap) for n in used
    ]
    return Answer(cleaned.strip(), False, "llm", citations, evidence.plan.filters.to_dict())


def extractive_answer(evidence: Evidence) -> Answer:
    """Compose the chosen sentences into a short German answer with [n] markers."""
    chosen = evidence.selection.sentences
    by_hit: dict[int, list[Candidate]] = {}
    for cand in chosen:
        by_hit.setdefault(cand.hit_rank, []).append(cand)
    lines: list[str] = []
    citations: list[Citation] = []
    # Current sources first, then by the best sentence's score (dicts keep insertion order).
    groups = sorted(
        by_hit.items(),
        key=lambda item: evidence.snap.superseded_by(evidence.hits[item[0]].chunk.meta) is not None,
    )
    for n, (rank, cands) in enumerate(groups, start=1):
        hit = evidence.hits[rank]
        ordered = sorted(cands, key=lambda c: c.position)
        citation = make_citation(n, hit, " ".join(c.text for c in ordered), evidence.snap)
        citations.append(citation)
        lead = strings.SOURCE_LEAD.format(title=hit.chunk.meta.title)
        if citation.superseded_by:
            lead += strings.SUPERSEDED.format(version=citation.superseded_by)
        lines.append(f"{lead}: " + " ".join(f"{c.text} [{n}]" for c in ordered))
    return Answer("\n".join(lines), False, "extractive", citations, evidence.plan.filters.to_dict())


def refusal(evidence: Evidence) -> Answer:
    """The fixed German refusal, with the closest documents where there are any."""
    related: list[dict[str, Any]] = []
    for hit in evidence.hits:
        if hit.chunk.doc_id not in {r["doc_id"] for r in related}:
            related.append(
                {"doc_id": hit.chunk.doc_id, "title": hit.chunk.meta.title, "page": hit.chunk.page_label}
            )
        if len(related) == 3:
            break
    text = strings.REFUSAL
    if related:
        text += f"\n{strings.RELATED_INTRO} " + "; ".join(f"{r['title']} (S. {r['page']})" for r in related)
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
