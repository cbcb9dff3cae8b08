"""Sector check ("Branchen-Check"): what the documents say about one WZ 2008 sector, and the same
mapping for the answer service (`business_context`).

A passage concerns a division when it sits under (or names) one of the charter's sector profiles for
that division ("Kunststofftechnik" for 22), or when one of its sentences names the division's everyday
keywords ("Spritzgießer", "Rezyklat"). Every passage shows the sentence that made it relevant.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.analysis import fold
from assistant.citations import document_url, trim_quote
from assistant.protocols import Embedder
from assistant.sentences import split_sentences
from assistant.snapshot import IndexSnapshot
from assistant.views import UnknownItem
from assistant.views import strings as s
from assistant.views.alignment import heading_similarity
from assistant.views.corpus import (
    Section,
    TermStats,
    chunk_vectors,
    chunks_by_doc,
    generation_cache,
    public_docs,
    sections_of,
    superseded,
)
from assistant.views.sector_match import catalog, is_business_text, ready_profiles, score_divisions

MAX_PASSAGES = 40
MIN_HEADING = 0.75  # heading similarity at which a section is the sector profile itself
MAX_TERMS = 8
PINNED_CHARTER, PINNED_OFFERS = 2, 1  # sector passages a business question's answer may always draw on
PASSAGE_OPTIONS = 6  # of the view's best passages per group, the one closest to the question is pinned
MIN_DENSE_ONLY_Z = 2.5  # without a keyword, the vector alone must single out one division clearly
_NOUN = re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]{4,}")


@dataclass(frozen=True)
class BusinessContext:
    """What the answer service needs when a question describes a business."""

    sectors: list[dict[str, Any]]  # code, title, score (best first, at most 3)
    terms: list[str]  # German retrieval expansion terms from the sector view's charter passages
    # chunk ids: the current-charter passages and the offer closest to the question
    passages: list[str] = field(default_factory=list)


def resolve_code(value: str) -> tuple[str, list[str]]:
    """A section letter ("C") or a division ("22", "C22", "22.2"); return (code, division codes)."""
    raw = (value or "").strip().upper()
    cat = catalog()
    if raw in cat.sections:
        return raw, list(cat.sections[raw]["divisions"])
    digits = re.fullmatch(r"[A-U]?\s*(\d{1,2})(?:\.\d+)*", raw)
    code = digits[1].zfill(2) if digits else ""
    if code in cat.divisions:
        return code, [code]
    raise UnknownItem(s.UNKNOWN_SECTOR.format(value=value[:40]))


def _all_sections(snap: IndexSnapshot) -> list[tuple[Section, list[str], str]]:
    """(section, its sentences, folded text) for every public document (once per generation)."""

    def build() -> list[tuple[Section, list[str], str]]:
        out = []
        for chunks in chunks_by_doc(snap).values():
            for sec in sections_of(chunks):
                sentences = list(dict.fromkeys(x.strip() for x in split_sentences(sec.text) if x.strip()))
                out.append((sec, sentences, fold(sec.text)))
        return out

    return generation_cache(snap, "sector-sections", build)


def _evidence(sentences: list[str], words: list[str]) -> tuple[str, list[str]]:
    """The sentence naming most of the words, and the words it names."""
    best, found = "", list[str]()
    for sentence in sentences:
        folded = fold(sentence)
        named = [w for w in words if fold(w) in folded]
        if len(named) > len(found):
            best, found = sentence, named
    if len(best) > 300 and found:  # table rows arrive as one long "sentence": cut around the match
        at = fold(best).find(fold(found[0]))
        best = ("… " if at > 120 else "") + best[max(0, at - 120) : at + 180] + " …"
    return best, found


def _group(meta: Any, snap: IndexSnapshot) -> str:
    if meta.doc_type in ("charta", "verstetigungskonzept"):
        return "older" if superseded(snap, meta) else "current"
    return "forum" if meta.doc_type == "forum_report" else "offers"


def _passages(snap: IndexSnapshot, codes: list[str]) -> list[dict[str, Any]]:
    cat = catalog()
    profiles = list(dict.fromkeys(b for c in codes for b in cat.branchen_of(c)))
    keywords = list(dict.fromkeys(k for c in codes for k in cat.divisions[c].keywords))
    docs = public_docs(snap)
    found: list[tuple[float, Section, Any, str, list[str]]] = []
    for sec, sentences, folded in _all_sections(snap):
        under = max((heading_similarity(sec.heading, p) for p in profiles), default=0.0) >= MIN_HEADING
        named = [p for p in profiles if fold(p) in folded]
        words = [k for k in keywords if fold(k) in folded]
        if not (under or named or words):
            continue
        quote, hits = _evidence(sentences, named + words)
        if not quote:
            quote = sentences[0] if sentences else sec.text
        meta = docs[sec.doc_id]
        score = 3.0 * under + 2.0 * bool(named) + len(set(hits) | set(words))
        found.append((score, sec, meta, quote, hits or words))
    ranked = sorted(found, key=lambda t: (-t[0], t[2].doc_id, t[1].page_index))[:MAX_PASSAGES]
    return [
        {
            "group": _group(meta, snap),
            "doc_id": meta.doc_id,
            "title": meta.title,
            "doc_type": meta.doc_type,
            "version": meta.version,
            "district": meta.district,
            "date": meta.date,
            "page": sec.page,
            "section": sec.title,
            "quote": trim_quote(quote, 400),
            "chunk_id": _quoted_chunk(sec, quote, snap),
            "matched": hits[:6],
            "score": round(score, 2),
            "superseded_by": superseded(snap, meta),
            "superseded_label": s.SUPERSEDED.format(version=superseded(snap, meta))
            if superseded(snap, meta)
            else None,
            "url": document_url(meta.doc_id, sec.page_index),
        }
        for score, sec, meta, quote, hits in ranked
    ]


def _quoted_chunk(sec: Section, quote: str, snap: IndexSnapshot) -> str:
    """The chunk of a section that holds its quoted sentence (the first chunk if none does)."""
    start = quote[:60]
    return next((cid for cid in sec.chunk_ids if start in snap.by_id[cid].text), sec.chunk_ids[0])


def sector_view(snap: IndexSnapshot, value: str) -> dict[str, Any]:
    """Everything the documents say about one sector, grouped: current charter first, older marked."""
    code, divisions = resolve_code(value)
    return generation_cache(snap, f"sector:{code}", lambda: _build_view(snap, code, divisions))


def _build_view(snap: IndexSnapshot, code: str, divisions: list[str]) -> dict[str, Any]:
    cat = catalog()
    passages = _passages(snap, divisions)
    order = list(s.GROUP_TITLES)
    groups = [
        {"key": key, "title": s.GROUP_TITLES[key], "passages": [p for p in passages if p["group"] == key]}
        for key in order
    ]
    title = cat.sections[code]["title"] if code in cat.sections else cat.divisions[code].title
    docs = public_docs(snap)
    return {
        "code": code,
        "title": title,
        "section": code if code in cat.sections else cat.divisions[code].section,
        "divisions": [{"code": c, "title": cat.divisions[c].title} for c in divisions],
        "branchen": list(dict.fromkeys(b for c in divisions for b in cat.branchen_of(c))),
        "groups": [g for g in groups if g["passages"]],
        "count": len(passages),
        "message": None if passages else s.NO_SECTOR_PASSAGES,
        "source": cat.source,
        "sample_notice": s.SAMPLE_NOTICE if any(docs[p["doc_id"]].sample for p in passages) else None,
    }


def sector_list() -> dict[str, Any]:
    """The WZ 2008 sections with their divisions (the picker)."""
    cat = catalog()
    return {
        "source": cat.source,
        "sections": [
            {
                "code": letter,
                "title": sec["title"],
                "divisions": [
                    {"code": c, "title": cat.divisions[c].title, "branchen": cat.branchen_of(c)}
                    for c in sec["divisions"]
                ],
            }
            for letter, sec in cat.sections.items()
        ],
    }


def match_sectors(text: str, embedder: Embedder, *, limit: int = 5) -> list[dict[str, Any]]:
    """Text → divisions with scores (keywords + one query vector against the division profiles)."""
    from assistant.views.sector_match import profile_vectors

    profiles = profile_vectors(embedder)
    vector = np.asarray(embedder.embed_query(text), dtype=np.float32)
    return score_divisions(text, vector, profiles)[:limit]


def _expansion_terms(snap: IndexSnapshot, code: str, text: str) -> list[str]:
    """Distinctive words of the sector view's charter passages (current version first)."""
    view = sector_view(snap, code)
    stats: TermStats = generation_cache(
        snap,
        "sector-term-stats",
        lambda: TermStats((sec.text for sec, _, _ in _all_sections(snap)), fold_words),
    )
    charter = [p for g in view["groups"] if g["key"] in ("current", "older") for p in g["passages"]]
    counts: Counter[str] = Counter()
    for passage in charter[:6]:
        for word in dict.fromkeys(_NOUN.findall(passage["quote"])):
            if not word.endswith("-"):  # a word split at a line end ("Geschäfts-")
                counts[word] += 1
    asked = fold(text)
    ranked = sorted(counts, key=lambda w: (-counts[w] * stats.idf(fold(w)), w))
    terms = list(dict.fromkeys([*view["branchen"], *[w for w in ranked if fold(w) not in asked]]))
    return terms[:MAX_TERMS]


def fold_words(text: str) -> list[str]:
    """Folded capitalised words of a text (the term statistics of the expansion terms)."""
    return [fold(w) for w in _NOUN.findall(text)]


def business_context(text: str, snapshot: IndexSnapshot, query_vector: Any = None) -> BusinessContext | None:
    """The sectors a question's business belongs to and terms that describe what the charter offers them.

    None when the text does not describe one's own business. Uses the keyword match, plus the handed
    query vector when the division profiles were already embedded (never embeds anything itself).
    """
    if not text or not is_business_text(text):
        return None
    embedder_name = snapshot.state.embedder
    vector = None if query_vector is None else np.asarray(query_vector, dtype=np.float32)
    ranked = score_divisions(text, vector, ready_profiles(embedder_name) if vector is not None else None)
    if not ranked or (not ranked[0]["keywords"] and (ranked[0]["dense_z"] or 0) < MIN_DENSE_ONLY_Z):
        return None
    top = ranked[:3]
    return BusinessContext(
        sectors=[{"code": r["code"], "title": r["title"], "score": r["score"]} for r in top],
        terms=_expansion_terms(snapshot, top[0]["code"], text),
        passages=_best_passages(snapshot, top[0]["code"], vector),
    )


def _best_passages(snap: IndexSnapshot, code: str, vector: np.ndarray | None) -> list[str]:
    """The chunks of the sector view's current-charter passages and offers that are closest to the question
    (among the view's best few of each): what the charter says about the sector and what ITAS offers it
    usually stand in different documents, and a sector has several profiles ("Antriebsstrang", "Leichtbau")."""
    groups = {g["key"]: g["passages"] for g in sector_view(snap, code)["groups"]}
    picked: list[str] = []
    for key, count in (("current", PINNED_CHARTER), ("offers", PINNED_OFFERS)):
        options = [p["chunk_id"] for p in groups.get(key, [])[:PASSAGE_OPTIONS]]
        if vector is not None and len(options) > 1:
            closeness = chunk_vectors(snap, options) @ vector  # rows are unit length; only the order counts
            options = [options[i] for i in np.argsort(-closeness, kind="stable")]
        picked += options[:count]
    return list(dict.fromkeys(picked))
