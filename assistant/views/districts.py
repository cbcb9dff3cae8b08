"""District view ("Landkreise"): each district's forums, their proposals, and the charter passages of
later versions that take a proposal up (suggested links with their evidence) or none.

A link is suggested when a section of a later charter version both says what the proposal says and is
close in meaning: score = words^LINK_WORDS × dense^(1 − LINK_WORDS), a weighted geometric mean, so
neither kind of evidence alone suffices. `words` is the best sentence's evidence (the share of the
proposal's name it holds and the share of it the proposal's words explain); `dense` is the cosine of
the proposal (embedded once per index generation, as a query) with the section's stored passage
vectors, mapped to 0..1. At most one section per version is suggested. The weights and the threshold
were chosen on evals/labels/links.yaml; `itas eval views` reports cross-validated precision and recall.
Similarity finds the topic, not whether the charter adopted the instrument, so recall is low at the
precision asked for; links are shown as suggestions with their evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.analysis import analyze, fold
from assistant.citations import document_url, trim_quote
from assistant.families import CHARTER_SERIES, series_names
from assistant.protocols import Embedder
from assistant.sentences import split_sentences
from assistant.snapshot import IndexSnapshot
from assistant.types import DISTRICTS
from assistant.views import UnknownItem
from assistant.views import strings as s
from assistant.views.alignment import related
from assistant.views.corpus import chunks_by_doc, generation_cache, public_docs
from assistant.views.proposals import Proposal, extract_proposals, forum_facts
from assistant.views.series import SeriesIndex, series_index

LINK_WORDS = 0.3
NAME_WEIGHT = 0.5  # the proposal's name vs the report's sentences about it
COS_FLOOR, COS_SPAN = 0.80, 0.10  # e5 query→passage cosine: unrelated ≈ 0.80, on topic ≈ 0.88+
LINK_THRESHOLD = 0.69  # chosen on all labelled proposals (`itas eval views`: all_data_threshold)
MAX_LINKS_PER_VERSION = 1
# A charter section that reports on the forums themselves ("Zukunftsforen 2024 im Überblick") restates
# the proposals; it is no evidence that the charter takes one up.
_REPORTS_FORUMS = re.compile(r"zukunftsfor|\bforen\b|\bforum\b")


@dataclass(frozen=True)
class Candidate:
    """A link candidate: one section of one later charter version, with its score."""

    version: str
    section: int
    score: float
    words: float
    dense: float


def district_names(snap: IndexSnapshot) -> list[str]:
    """Districts with at least one public forum report, in the canonical order."""
    found = {m.district for m in public_docs(snap).values() if m.doc_type == "forum_report" and m.district}
    return [d for d in DISTRICTS if d in found] + sorted(found - set(DISTRICTS))


def resolve_district(snap: IndexSnapshot, value: str) -> str:
    """Accept "Vogtlandkreis", "vogtlandkreis", "Landkreis Zwickau" or "zwickau"; else a German 404 error."""
    names = district_names(snap)
    wanted = fold(value.strip())
    for name in names:
        if wanted in (fold(name), fold(name).removeprefix("landkreis ").removeprefix("stadt "), slug(name)):
            return name
    raise UnknownItem(s.UNKNOWN_DISTRICT.format(value=value[:80], valid=", ".join(names) or "–"))


def slug(name: str) -> str:
    """URL id of a district: "Landkreis Zwickau" → "landkreis-zwickau"."""
    return "-".join(fold(name).split())


def proposal_text(p: Proposal) -> str:
    """What a proposal says: its name and the report's sentences about it."""
    return f"{p.name}. {p.description}".strip()


def _proposal_vectors(snap: IndexSnapshot, embedder: Embedder, texts: list[str]) -> dict[str, np.ndarray]:
    cache: dict[str, np.ndarray] = generation_cache(snap, "proposal-vectors", dict)
    for text in dict.fromkeys(texts):
        if text not in cache:
            vec = np.asarray(embedder.embed_query(text), dtype=np.float32)
            cache[text] = vec / (np.linalg.norm(vec) or 1.0)
    return cache


def later_versions(idx: SeriesIndex, forum_date: str | None) -> list[str]:
    """Versions published after the forum; without a date on either side the version counts as later."""
    out = []
    for member in idx.versions:
        if not forum_date or not member.meta.date or member.meta.date > forum_date:
            out.append(member.version)
    return out


def _sentence_terms(snap: IndexSnapshot, idx: SeriesIndex) -> dict[tuple[str, int], list[set[str]]]:
    """Analysed words of every sentence of every section (once per generation)."""

    def build() -> dict[tuple[str, int], list[set[str]]]:
        return {
            (version, i): [
                set(snap.lexical.analyze(x)) for x in dict.fromkeys(split_sentences(sec.text)) if x.strip()
            ]
            for version, secs in idx.sections.items()
            for i, sec in enumerate(secs)
        }

    return generation_cache(snap, f"sentence-terms:{idx.series}", build)


def _share(idx: SeriesIndex, terms: set[str], sentence: set[str]) -> float:
    """idf-weighted share of `terms` found in a sentence; compound parts and inflections count."""
    total = sum(idx.stats.idf(t) for t in terms)
    if not total:
        return 0.0
    hit = sum(idx.stats.idf(t) for t in terms if t in sentence or any(related(t, u) for u in sentence))
    return hit / total


def score_candidates(
    snap: IndexSnapshot, idx: SeriesIndex, versions: list[str], proposal: Proposal, vec: np.ndarray
) -> list[Candidate]:
    """Every section of the given versions with its link score, best first.

    The word evidence is taken per sentence (the best sentence of the section), so a long section that
    names a few of the proposal's words in different places does not outscore the one sentence that
    takes the proposal up.
    """
    name_terms = set(snap.lexical.analyze(proposal.name))
    all_terms = name_terms | set(snap.lexical.analyze(proposal.description))
    sentence_terms = _sentence_terms(snap, idx)
    out = []
    for version in versions:
        vecs, rows = idx.chunk_vecs[version], idx.chunk_rows[version]
        for i, sec in enumerate(idx.sections[version]):
            if _REPORTS_FORUMS.search(fold(sec.heading)):
                continue
            words = max(
                (_sentence_evidence(idx, name_terms, all_terms, x) for x in sentence_terms[(version, i)]),
                default=0.0,
            )
            cos = float(max(vecs[rows[c]] @ vec for c in sec.chunk_ids)) if len(vecs) else 0.0
            dense = min(1.0, max(0.0, (cos - COS_FLOOR) / COS_SPAN))
            out.append(Candidate(version, i, combine(words, dense), words, dense))
    return sorted(out, key=lambda c: (-c.score, c.version, c.section))


def _sentence_evidence(
    idx: SeriesIndex, name_terms: set[str], all_terms: set[str], sentence: set[str]
) -> float:
    """How much one charter sentence says what the proposal says (0..1).

    The mean of two shares: of the proposal's name that the sentence holds, and of the sentence that the
    proposal's words (name and description) explain. A sentence that takes a proposal up is made of its
    words; one that only mentions the topic in passing is not.
    """
    if len(sentence) < 3:
        return 0.0
    return NAME_WEIGHT * _share(idx, name_terms, sentence) + (1 - NAME_WEIGHT) * _share(
        idx, sentence, all_terms
    )


def _candidates(
    snap: IndexSnapshot, idx: SeriesIndex, versions: list[str], proposal: Proposal, vec: np.ndarray
) -> list[Candidate]:
    """score_candidates, memoised per generation by what the proposal says (copies of a report repeat it)."""
    memo: dict[tuple[str, str, tuple[str, ...]], list[Candidate]] = generation_cache(
        snap, "link-candidates", dict
    )
    key = (proposal.name, proposal.description, tuple(versions))
    if key not in memo:
        memo[key] = score_candidates(snap, idx, versions, proposal, vec)
    return memo[key]


def combine(words: float, dense: float) -> float:
    """Link score: both kinds of evidence must be there (a weighted geometric mean)."""
    return float(words**LINK_WORDS * dense ** (1 - LINK_WORDS))


def select_links(candidates: list[Candidate], threshold: float = LINK_THRESHOLD) -> list[Candidate]:
    """Candidates above the threshold, at most MAX_LINKS_PER_VERSION per version."""
    kept: dict[str, int] = {}
    out = []
    for c in candidates:
        if c.score >= threshold and kept.get(c.version, 0) < MAX_LINKS_PER_VERSION:
            kept[c.version] = kept.get(c.version, 0) + 1
            out.append(c)
    return out


def evidence(text: str, proposal: str) -> str:
    """The sentence of a passage that shares most of the proposal's words."""
    terms = set(analyze(proposal))
    sentences = [x for x in split_sentences(text) if x.strip()] or [text]
    return max(sentences, key=lambda x: (len(terms & set(analyze(x))), -len(x)))


def _link(idx: SeriesIndex, c: Candidate, text: str) -> dict[str, Any]:
    member = next(m for m in idx.versions if m.version == c.version)
    sec = idx.sections[c.version][c.section]
    return {
        "doc_id": member.meta.doc_id,
        "title": member.meta.title,
        "version": c.version,
        "page": sec.page,
        "section": sec.title,
        "quote": trim_quote(evidence(sec.text, text), 300),
        "score": round(c.score, 3),
        "url": document_url(member.meta.doc_id, sec.page_index),
    }


def _forum(snap: IndexSnapshot, embedder: Embedder, doc_id: str, idx: SeriesIndex | None) -> dict[str, Any]:
    meta = snap.documents[doc_id]
    chunks = chunks_by_doc(snap).get(doc_id, [])
    proposals = extract_proposals(doc_id, chunks)
    versions = later_versions(idx, meta.date) if idx else []
    vectors = _proposal_vectors(snap, embedder, [proposal_text(p) for p in proposals]) if versions else {}
    items = []
    for p in proposals:
        text = proposal_text(p)
        links = []
        if idx is not None and versions:
            found = _candidates(snap, idx, versions, p, vectors[text])
            links = [_link(idx, c, text) for c in select_links(found)]
        items.append(
            {
                "id": p.pid,
                "name": p.name,
                "figure": p.figure,
                "field": p.field,
                "description": trim_quote(p.description, 400),
                "page": p.page,
                "url": document_url(doc_id, p.page_index),
                "links": links,
                "taken_up": bool(links),
                "note": None if links else (s.NOT_TAKEN_UP if versions else s.NO_LATER_VERSION),
            }
        )
    return {
        "doc_id": doc_id,
        "title": meta.title,
        "date": meta.date,
        "year": (meta.date or "")[:4] or None,
        **forum_facts(chunks),
        "url": document_url(doc_id, 1),
        "proposals": items,
    }


def district_view(snap: IndexSnapshot, embedder: Embedder, value: str) -> dict[str, Any]:
    """Everything about one district: forums, proposals with figures, suggested charter links."""
    name = resolve_district(snap, value)
    return generation_cache(snap, f"district:{name}", lambda: _build_district(snap, embedder, name))


def _build_district(snap: IndexSnapshot, embedder: Embedder, name: str) -> dict[str, Any]:
    idx = series_index(snap, CHARTER_SERIES) if CHARTER_SERIES in series_names(snap) else None
    docs = public_docs(snap)
    forums = sorted(
        (d for d, m in docs.items() if m.doc_type == "forum_report" and m.district == name),
        key=lambda d: (docs[d].date or "", d),
    )
    result = [_forum(snap, embedder, d, idx) for d in forums]
    open_items = [p["name"] for f in result for p in f["proposals"] if not p["taken_up"]]
    return {
        "id": slug(name),
        "district": name,
        "forums": result,
        "not_taken_up": open_items,
        "link_note": s.LINK_NOTE,
        "message": None if result else s.NO_FORUMS.format(district=name),
        "sample_notice": s.SAMPLE_NOTICE if any(docs[d].sample for d in forums) else None,
    }


def district_list(snap: IndexSnapshot) -> list[dict[str, Any]]:
    """The districts with their number of forums (no link computation)."""
    docs = public_docs(snap)
    out = []
    for name in district_names(snap):
        forums = [m for m in docs.values() if m.doc_type == "forum_report" and m.district == name]
        years = sorted({(m.date or "")[:4] for m in forums if m.date})
        out.append({"id": slug(name), "district": name, "forums": len(forums), "years": years})
    return out
