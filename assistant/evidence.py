"""Sentence evidence: score the sentences of the retrieved chunks and choose the ones that answer.

Each sentence is scored by its cosine with the question (sentence vectors stored at ingest; the query
vector comes from retrieval, so no embedding happens here), the idf-weighted share of the question's
known terms it holds, whether it holds the kind of detail the question asks for (an amount, a date …)
and the retrieval score of its chunk. Lists are quoted with their items; headings, captions and
table-of-contents lines are never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from assistant.families import series_of
from assistant.question import AnswerType, TopicTerms
from assistant.reply_check import is_instruction, strip_active
from assistant.sentence_index import chunk_sentences
from assistant.snapshot import IndexSnapshot
from assistant.types import Hit

MAX_HITS = 8  # chunks whose sentences are candidates
MAX_SENTENCES = 6
MAX_CHARS = 1100
MAX_SENTENCES_BROAD, MAX_CHARS_BROAD = 8, 1500
MIN_WORDS = 4
MIN_LOWER_WORDS = 2  # headings, title pages and table headers are mostly capitalised German nouns
LONG_SENTENCE = 360  # flattened tables become one long "sentence"; quote only its best window
WINDOW_WORDS = 36
LIST_CHARS = 520  # a list introduction is quoted with its items up to this length
SECTION_CREDIT = 0.85  # a sentence under a heading that names the topic is about the topic
REDUNDANT = 0.6  # Jaccard overlap of analysed terms above which a sentence adds nothing new
# Weights of the sentence score (grid-searched for key-fact coverage on the gold set's answerable items):
W_SEMANTIC, W_LEXICAL, W_TYPE, W_CHUNK = 0.30, 0.30, 0.10, 0.20
SELECT_MARGIN = 0.5  # sentences more than this below the best one are not quoted
SUPERSEDED_STEP = 0.1  # an older version's sentence steps back unless the question is about versions

_CAPTION = re.compile(r"^\s*(?:Tabelle|Tab\.|Abbildung|Abb\.|Grafik|Quelle|Foto)\s*\d*\s*[:.]", re.I)
_TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|^\s*\d+(?:\.\d+)*\s+[^.!?]{3,80}\s\d{1,3}\s*$")
# A table row as ingest writes it: "Header: value; Header: value" (column headers kept with the cells).
_TABLE_ROW = re.compile(r"^[^:;]{1,60}:\s[^;]{1,400}(?:;\s[^:;]{1,60}:\s[^;]{1,400})+")
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪‣◦*–-]|\d{1,2}[.)])\s*")
_MONEY = re.compile(
    r"\d[\d.,]*\s*(?:€|euro\b|eur\b|mio\b|mio\.|millionen|mrd|milliarden|tsd\b|tausend)|\bkostenfrei|\bkostenlos"
    r"|\bgebührenfrei|\bunentgeltlich|\bprozent der kosten|\bförderquote|\bzuschuss von",
    re.I,
)
_NUMBER = re.compile(
    r"(?<![\d.])\d{1,3}(?:[.,]\d{3})*(?:,\d+)?(?![\d])(?!\.\d)(?!\.\s?\w)(?!\.\s?(?:januar|februar|märz|april|mai|juni"
    r"|juli|august|september|oktober|november|dezember))|\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn"
    r"|elf|zwölf|zwanzig|dreißig|hundert|tausend|dutzend)\w*",
    re.I,
)
_DATE = re.compile(
    r"\b\d{1,2}\.\s?(?:\d{1,2}\.\s?\d{2,4}|(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober"
    r"|november|dezember))|\b(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november"
    r"|dezember|frühjahr|sommer|herbst|winter|anfang|mitte|ende|quartal)\b[^.]{0,12}\b(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d\d\b|\bab sofort\b|\bmonatlich|\bwöchentlich|\bjährlich|\bjeden? (?:monat|woche|jahr)",
    re.I,
)
_CONTACT = re.compile(
    r"(?:\+49|\b0\d{2,5})[\s/-]?\d[\d\s/-]{4,}|[\w.+-]+@[\w-]+\.[\w.]+|\bhttps?://|\bwww\.|\b(?:straße|str\.|platz"
    r"|weg|allee|ring)\s+\d+",
    re.I,
)
_PERSON = re.compile(
    r"\b(?:Herr|Frau|Dr\.|Prof\.)\s+[A-ZÄÖÜ]|\b[A-ZÄÖÜ][a-zäöüß]+\s+[A-ZÄÖÜ][a-zäöüß]+\s*\((?:[^)]{2,40})\)"
)
# The detail each answer type asks for; a type without a pattern cannot be checked in the text.
DETAIL_PATTERNS: dict[AnswerType, re.Pattern[str]] = {
    AnswerType.AMOUNT: _MONEY,
    AnswerType.NUMBER: _NUMBER,
    AnswerType.DATE: _DATE,
    AnswerType.CONTACT: _CONTACT,
    AnswerType.PERSON: _PERSON,
}


@dataclass(frozen=True)
class Candidate:
    """A sentence (or a list with its introduction) of a retrieved chunk, scored against the question."""

    hit_rank: int
    position: int
    text: str
    terms: frozenset[str]
    score: float
    coverage: float  # idf-weighted share of the question's known terms (or the heading's)
    semantic: float  # cosine with the question (0 without sentence vectors)
    typed: bool  # holds the kind of detail the question asks for


@dataclass(frozen=True)
class Selection:
    """The chosen sentences and the evidence strength behind them."""

    sentences: list[Candidate]
    candidates: list[Candidate]  # every scored sentence, best first
    coverage: float  # best idf-weighted share of question terms in one sentence
    dense: float  # best cosine similarity among the hits (chunk level)
    semantic: float  # best sentence cosine
    broad: bool = False  # the question has no known topic terms: chosen by retrieval strength alone
    semantic_z: float = 0.0  # best sentence cosine in standard deviations above the corpus background
    absent_term: float = 0.0  # weight of the heaviest known question term in none of the top chunks (0–1)

    def relevant(self, limit: int = 6, margin: float = 0.15) -> list[Candidate]:
        """The best-scored candidates, those within `margin` of the best (the passages that answer)."""
        if not self.candidates:
            return []
        best = self.candidates[0].score
        return [c for c in self.candidates[:limit] if c.score >= best - margin]


def is_prose(sentence: str) -> bool:
    """Tell a sentence from a heading, a title line, a caption, a TOC line, a table header or an
    instruction planted for a language model."""
    if _CAPTION.match(sentence) or _TOC_LINE.search(sentence) or is_instruction(sentence):
        return False
    if _TABLE_ROW.match(sentence):
        return True
    words = sentence.split()
    lower = sum(1 for w in words if len(w) >= 3 and w[0].islower())
    return len(words) >= MIN_WORDS and lower >= MIN_LOWER_WORDS


_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^\s*[-*+]\s+|\s*\|\s*(?=\||$)")


_MARKER_LIKE = re.compile(r"\[(\d{1,3})\]")


def plain(text: str) -> str:
    """A quote without Markdown emphasis, list dashes, empty table cells, links, URLs or HTML (documents'
    markup is not the answer's: the surfaces show text as text), and without "[n]" that would pass for one
    of the answer's own citation markers."""
    text = _MARKER_LIKE.sub(r"(\1)", strip_active(text))
    text = _MARKUP.sub(" ", text)
    text = re.sub(r"\s*\|\s*", " | ", text).strip(" |")
    return " ".join(text.split())


def holds_detail(text: str, kind: AnswerType) -> bool:
    """Tell whether a text holds the kind of detail a question of this type asks for."""
    pattern = DETAIL_PATTERNS.get(kind)
    return bool(pattern and pattern.search(text))


def best_window(sentence: str, terms: TopicTerms, analyze: Callable[[str], list[str]]) -> str:
    """For an over-long sentence (a flattened table), the window of words that covers the question best."""
    words = sentence.split()
    if len(sentence) <= LONG_SENTENCE or len(words) <= WINDOW_WORDS:
        return sentence
    step = WINDOW_WORDS // 2
    starts = range(0, max(1, len(words) - WINDOW_WORDS + step), step)
    best = max(
        starts, key=lambda i: (terms.coverage(set(analyze(" ".join(words[i : i + WINDOW_WORDS])))), -i)
    )
    window = " ".join(words[best : best + WINDOW_WORDS])
    return ("… " if best else "") + window + (" …" if best + WINDOW_WORDS < len(words) else "")


def _with_list(sentences: list[str], i: int) -> tuple[str, int]:
    """A sentence ending in ":" together with the list items that follow it; returns (text, items taken)."""
    text, taken = sentences[i], 0
    if not text.rstrip().endswith(":"):
        return text, 0
    while i + taken + 1 < len(sentences):
        item = sentences[i + taken + 1]
        if (taken and not _LIST_ITEM.match(item)) or len(text) + len(item) > LIST_CHARS:
            break
        taken += 1
        text = f"{text} {item}"
    return text, taken


@dataclass(frozen=True)
class _Context:
    terms: TopicTerms
    kind: AnswerType
    analyze: Callable[[str], list[str]]
    query: np.ndarray | None
    snap: IndexSnapshot
    prefer_current: bool = True
    superlative: bool = False


def _chunk_candidates(ctx: _Context, rank: int, hit: Hit, chunk_rel: float) -> list[Candidate]:
    chunk = hit.chunk
    sentences = chunk_sentences(chunk)
    cosines = None
    if ctx.query is not None and ctx.snap.sentences is not None:
        cosines = ctx.snap.sentences.cosines(ctx.snap.chunk_position[chunk.chunk_id], ctx.query)
    heading = chunk.section[-1] if chunk.section else ""
    section_cov = SECTION_CREDIT * ctx.terms.coverage(set(ctx.analyze(heading)))
    # A sentence means what it says in its document and section: a date sentence that never names the
    # district answers a question about that district's forum inside that district's report. Context terms
    # count a little less.
    context = frozenset(ctx.analyze(f"{chunk.meta.title} {heading}"))
    out: list[Candidate] = []
    skip = 0
    for position, sentence in enumerate(sentences):
        if skip:
            skip -= 1
            continue
        if not is_prose(sentence):
            continue
        text, skip = _with_list(sentences, position)
        text = plain(text)
        text = best_window(text, ctx.terms, ctx.analyze) if not skip else text
        terms = frozenset(ctx.analyze(text))
        own = ctx.terms.coverage(terms)
        coverage = max(own + SECTION_CREDIT * (ctx.terms.coverage(terms | context) - own), section_cov)
        semantic = float(max(cosines[position : position + skip + 1])) if cosines is not None else 0.0
        typed = holds_detail(text, ctx.kind)
        # Provisional score; the semantic part is rescaled per question in `score_sentences`.
        # Without topic terms ("und in Mittelsachsen?" after "Wann war …?") the asked kind of detail is
        # the lexical evidence: the weight of term coverage goes to the type.
        w_type = W_TYPE if ctx.terms else W_TYPE + W_LEXICAL
        score = W_LEXICAL * coverage + w_type * typed + W_CHUNK * chunk_rel - 0.015 * rank - 0.004 * position
        out.append(Candidate(rank, position, text, terms, score, coverage, semantic, typed))
    return out


def score_sentences(hits: list[Hit], ctx: _Context) -> list[Candidate]:
    """Score every sentence of the top hits, best first."""
    if not hits:
        return []
    top = max(h.score for h in hits) or 1.0
    out: list[Candidate] = []
    for rank, hit in enumerate(hits[:MAX_HITS]):
        found = _chunk_candidates(ctx, rank, hit, hit.score / top)
        if ctx.prefer_current and ctx.snap.superseded_by(hit.chunk.meta):
            found = [replace(c, score=c.score - SUPERSEDED_STEP) for c in found]
        out.extend(found)
    if ctx.superlative:
        out = _top_rows(out)
    if out and ctx.query is not None and ctx.snap.sentences is not None:
        # e5 cosines of related German sentences sit between ≈ 0.75 and 0.9: rescale within the question.
        low, high = min(c.semantic for c in out), max(c.semantic for c in out)
        span = (high - low) or 1.0
        out = [replace(c, score=c.score + W_SEMANTIC * (c.semantic - low) / span) for c in out]
    return sorted(out, key=lambda c: (-c.score, c.hit_rank, c.position))


def _table_key(text: str) -> str | None:
    """The first column header of a table row as ingest writes it ("Belastung: …; Nennungen: 17")."""
    return text.split(":", 1)[0] if _TABLE_ROW.match(text) else None


def _row_value(text: str) -> tuple[str, float] | None:
    """(first header, last numeric cell) of a table row ("Belastung: Hohe Energiepreise; Nennungen: 17")."""
    key = _table_key(text)
    numbers = [
        cell.split(":", 1)[1].strip().replace(".", "").replace(",", ".")
        for cell in text.split("; ")
        if ":" in cell
    ]
    numeric = [float(n) for n in numbers if re.fullmatch(r"\d+(?:\.\d+)?", n)]
    return (key, numeric[-1]) if key is not None and numeric else None


def _top_rows(candidates: list[Candidate]) -> list[Candidate]:
    """For "am meisten …?": in each ranking table (rows sharing a first header and a number), the row with
    the highest number gets the score of the table's best-matching row plus the type weight."""
    tables: dict[tuple[int, str], list[tuple[float, Candidate]]] = {}
    for cand in candidates:
        if value := _row_value(cand.text):
            tables.setdefault((cand.hit_rank, value[0]), []).append((value[1], cand))
    lifted: dict[int, float] = {}
    for rows in tables.values():
        if len(rows) >= 2:
            top = max(rows, key=lambda r: r[0])[1]
            lifted[id(top)] = max(c.score for _, c in rows) + W_TYPE + W_LEXICAL
    return [replace(c, score=lifted[id(c)]) if id(c) in lifted else c for c in candidates]


def _on_topic_rows(candidates: list[Candidate], ctx: _Context) -> list[Candidate]:
    """Rows of one table are parallel items: when some row names a question term ("Viele Spritzgießer …"),
    its sibling rows that name none (the foundry and tool-making rows) are not quoted."""
    if not ctx.terms:
        return candidates
    named: dict[tuple[int, str | None], bool] = {}  # table → some row names a question term
    for cand in candidates:
        if (key := _table_key(cand.text)) is not None:
            table = (cand.hit_rank, key)
            named[table] = named.get(table, False) or ctx.terms.coverage(cand.terms) > 0
    return [
        c
        for c in candidates
        if not named.get((c.hit_rank, _table_key(c.text)), False) or ctx.terms.coverage(c.terms) > 0
    ]


def _redundant(candidate: Candidate, chosen: list[Candidate]) -> bool:
    for other in chosen:
        if candidate.text in other.text or other.text in candidate.text:
            return True
        union = candidate.terms | other.terms
        if union and len(candidate.terms & other.terms) / len(union) > REDUNDANT:
            return True
    return False


def _version_key(hit: Hit) -> str | None:
    meta = hit.chunk.meta
    return f"{series_of(meta)}@{meta.version}" if series_of(meta) and meta.version else None


def select_sentences(
    hits: list[Hit],
    ctx: _Context,
    *,
    spread_versions: bool = False,
    broad_answer: bool = False,
) -> Selection:
    """Pick the best non-redundant sentences; with `spread_versions`, first the best of each version.
    `broad_answer` (a firm asking what the charter offers it, a list, a comparison) allows a longer answer:
    such answers gather several facts from several documents."""
    limit, budget = (MAX_SENTENCES_BROAD, MAX_CHARS_BROAD) if broad_answer else (MAX_SENTENCES, MAX_CHARS)
    candidates = score_sentences(hits, ctx)
    broad = not ctx.terms
    best_cov = max((c.coverage for c in candidates), default=0.0)
    best_score = candidates[0].score if candidates else 0.0
    eligible = _on_topic_rows([c for c in candidates if c.score >= best_score - SELECT_MARGIN], ctx)
    chosen: list[Candidate] = []
    if spread_versions:
        seen: set[str] = set()
        for cand in candidates[: 4 * MAX_SENTENCES]:
            key = _version_key(hits[cand.hit_rank])
            if key and key not in seen and (cand.coverage > 0 or broad):
                seen.add(key)
                chosen.append(cand)
    for cand in eligible:
        if len(chosen) >= limit or sum(len(c.text) for c in chosen) + len(cand.text) > budget:
            continue
        if cand not in chosen and not _redundant(cand, chosen):
            chosen.append(cand)
    dense = max((h.dense for h in hits[:MAX_HITS] if h.dense is not None), default=0.0)
    semantic = max((c.semantic for c in candidates), default=0.0)
    absent = _absent_term(hits[:MAX_HITS], ctx)
    return Selection(chosen, candidates, best_cov, dense, semantic, broad, _standing(ctx, semantic), absent)


def _absent_term(hits: list[Hit], ctx: _Context) -> float:
    """The idf weight, relative to the question's heaviest known term, of the heaviest known term that no
    retrieved chunk holds (in its text, title or headings): "Wie hoch ist das Budget des Verbunds?" finds
    the Verbund but no budget. Words the index never saw are not question terms here either."""
    if not ctx.terms or not hits:
        return 0.0
    seen: set[str] = set()
    for hit in hits:
        chunk = hit.chunk
        seen.update(ctx.analyze(" ".join([chunk.meta.title, *chunk.section, chunk.text])))
    weights = ctx.terms.weights
    absent = [
        w
        for term, w in weights.items()
        if term not in seen and ctx.terms.alternatives.get(term, frozenset()).isdisjoint(seen)
    ]
    return max(absent, default=0.0) / max(weights.values())


def _standing(ctx: _Context, best: float) -> float:
    """How many standard deviations the best sentence cosine lies above the corpus background."""
    sample = ctx.snap.sentence_sample
    if ctx.query is None or sample is None or not best:
        return 0.0
    cosines = sample @ ctx.query
    return float((best - cosines.mean()) / (cosines.std() or 1.0))


def make_context(
    terms: TopicTerms,
    kind: AnswerType,
    snap: IndexSnapshot,
    query: np.ndarray | None,
    *,
    prefer_current: bool = True,
    superlative: bool = False,
) -> _Context:
    """Bundle what sentence scoring needs about one question."""
    return _Context(terms, kind, snap.lexical.analyze, query, snap, prefer_current, superlative)
