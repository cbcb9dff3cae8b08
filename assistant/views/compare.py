"""Version comparison ("Was hat sich geändert?"): one topic across the versions of a document series."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Any

import numpy as np

from assistant.analysis import analyze, fold
from assistant.citations import document_url, trim_quote
from assistant.errors import RequestError
from assistant.families import FamilyVersion, series_names
from assistant.protocols import Embedder
from assistant.sentences import split_sentences
from assistant.snapshot import IndexSnapshot
from assistant.views import strings as s
from assistant.views.changes import changes_for
from assistant.views.corpus import Section, superseded
from assistant.views.series import SeriesIndex, resolve_series, series_index

MAX_TOPIC_CHARS = 200
# A section matches a topic when it holds this idf-weighted share of the topic's terms …
MIN_COVERAGE = 0.5
# … or, without the words, when its best passage is this close to the topic (multilingual-e5 cosine;
# unrelated topics such as "Quantencomputer" stay below 0.80 on the charter, real ones reach 0.84+).
MIN_DENSE = 0.845
SAME, CHANGED = 0.9, 0.5  # difflib ratios of two sentences: unchanged / reworded


def check_topic(topic: str) -> str:
    """Validate a topic; raise a German RequestError when it is empty or too long."""
    text = " ".join((topic or "").split())
    if not text:
        raise RequestError(s.EMPTY_TOPIC)
    if len(text) > MAX_TOPIC_CHARS:
        raise RequestError(s.TOPIC_TOO_LONG.format(limit=MAX_TOPIC_CHARS))
    return text


def _bm25(idx: SeriesIndex, topic_terms: set[str], counts: Counter[str]) -> float:
    # Lucene BM25 over sections: a short section about the topic beats a long table that names it once.
    size = sum(counts.values())
    avg = idx.stats_avg_len
    return sum(
        idx.stats.idf(t) * counts[t] * 2.5 / (counts[t] + 1.5 * (0.25 + 0.75 * size / avg))
        for t in topic_terms
        if counts.get(t)
    )


def _matches(
    idx: SeriesIndex, version: str, topic_terms: set[str], qvec: np.ndarray
) -> list[tuple[float, int]]:
    """(score, section position) of the sections of one version that match the topic, best first."""
    found = []
    vecs, rows = idx.chunk_vecs[version], idx.chunk_rows[version]
    for i, sec in enumerate(idx.sections[version]):
        counts = idx.terms[version][i]
        coverage = idx.stats.coverage(topic_terms, set(counts))
        dense = float(max(vecs[rows[c]] @ qvec for c in sec.chunk_ids)) if len(vecs) else 0.0
        if coverage >= MIN_COVERAGE or dense >= MIN_DENSE:
            found.append((_bm25(idx, topic_terms, counts) + max(0.0, dense - 0.8) * 10, i))
    return sorted(found, key=lambda t: (-t[0], t[1]))


def _pick(idx: SeriesIndex, matched: dict[str, list[tuple[float, int]]]) -> dict[str, int]:
    """Per version the best matching section; ties with an aligned partner of a neighbour win."""
    chosen: dict[str, int] = {}
    for member in idx.versions:
        options = matched.get(member.version) or []
        if options:
            chosen[member.version] = options[0][1]
    for (older, newer), pairs in idx.pairs.items():
        if older in chosen and newer in matched:
            partners = {p.new for p in pairs if p.old == chosen[older]}
            top = matched[newer][0][0] if matched[newer] else 0.0
            for score, i in matched[newer]:
                if i in partners and score >= top * 0.8:
                    chosen[newer] = i
                    break
    return chosen


def relevant_sentences(text: str, topic_terms: set[str], limit: int = 8) -> list[str]:
    """The sentences of a passage that name the topic; all (up to `limit`) when none does."""
    sentences = list(dict.fromkeys(x.strip() for x in split_sentences(text) if x.strip()))
    hits = [x for x in sentences if topic_terms & set(analyze(x))]
    return (hits or sentences)[:limit]


def diff_sentences(before: list[str], after: list[str]) -> list[dict[str, str]]:
    """Sentence-level differences: each new sentence is unchanged, changed or added; leftovers dropped."""
    out: list[dict[str, str]] = []
    unused = list(range(len(before)))
    for sentence in after:
        best, ratio = None, 0.0
        for i in unused:
            r = difflib.SequenceMatcher(None, fold(before[i]), fold(sentence)).ratio()
            if r > ratio:
                best, ratio = i, r
        if best is not None and ratio >= CHANGED:
            unused.remove(best)
            kind = "same" if ratio >= SAME else "changed"
            out.append({"kind": kind, "label": s.DIFF_KINDS[kind], "text": sentence, "before": before[best]})
        else:
            out.append({"kind": "added", "label": s.DIFF_KINDS["added"], "text": sentence, "before": ""})
    for i in unused:
        out.append(
            {"kind": "dropped", "label": s.DIFF_KINDS["dropped"], "text": before[i], "before": before[i]}
        )
    return out


def _passage(
    member: FamilyVersion, sec: Section, sentences: list[str], snap: IndexSnapshot
) -> dict[str, Any]:
    meta = member.meta
    return {
        "doc_id": meta.doc_id,
        "title": meta.title,
        "version": member.version,
        "date": meta.date,
        "page": sec.page,
        "section": sec.title,
        "quote": trim_quote(" ".join(sentences)),
        "sentences": sentences,
        "chunk_ids": list(sec.chunk_ids),  # for the answer service, which cites the aligned sections
        "url": document_url(meta.doc_id, sec.page_index),
        "superseded_by": superseded(snap, meta),
    }


def compare(snap: IndexSnapshot, embedder: Embedder, topic: str, series: str | None = None) -> dict[str, Any]:
    """Align the sections on `topic` across the versions of a series and diff them sentence by sentence."""
    text = check_topic(topic)
    name = resolve_series(snap, series)
    idx = series_index(snap, name)
    topic_terms = set(analyze(text))
    qvec = np.asarray(embedder.embed_query(text), dtype=np.float32)
    qvec /= np.linalg.norm(qvec) or 1.0
    matched = {m.version: _matches(idx, m.version, topic_terms, qvec) for m in idx.versions}
    chosen = _pick(idx, matched)
    rows: list[dict[str, Any]] = []
    previous: list[str] | None = None
    for member in idx.versions:
        row: dict[str, Any] = {
            "version": member.version,
            "date": member.meta.date or None,
            "doc_id": member.meta.doc_id,
        }
        if member.duplicates:
            row["note"] = s.DUPLICATE_VERSION.format(
                version=member.version,
                docs=", ".join((member.meta.doc_id, *member.duplicates)),
                chosen=member.meta.doc_id,
            )
        if member.version in chosen:
            sec = idx.sections[member.version][chosen[member.version]]
            sentences = relevant_sentences(sec.text, topic_terms)
            row["passage"] = _passage(member, sec, sentences, snap)
            row["diff"] = diff_sentences(previous, sentences) if previous is not None else []
            row["more"] = [idx.sections[member.version][i].title for _, i in matched[member.version][1:4]]
            previous = sentences
        else:
            row["passage"] = None
            row["empty"] = s.NOT_IN_VERSION.format(version=member.version)
            row["diff"] = []
            previous = None if previous is None else []
        rows.append(row)
    return {
        "topic": text,
        "series": name,
        "versions": [m.version for m in idx.versions],
        "status": _status(idx, chosen),
        "rows": rows,
        "changes": changes_for(snap, [m.meta.doc_id for m in idx.versions], text),
        "message": _message(idx, chosen, text),
        "sample_notice": s.SAMPLE_NOTICE if any(m.meta.sample for m in idx.versions) else None,
    }


def _status(idx: SeriesIndex, chosen: dict[str, int]) -> list[str]:
    versions = [m.version for m in idx.versions]
    present = [v for v in versions if v in chosen]
    if not present or len(versions) < 2:
        return []
    out = []
    if present[0] != versions[0]:
        out.append(s.NEW_IN.format(version=present[0]))
    last = versions.index(present[-1])
    if last < len(versions) - 1:
        out.append(s.DROPPED_FROM.format(version=versions[last + 1]))
    return out


def _message(idx: SeriesIndex, chosen: dict[str, int], topic: str) -> str | None:
    if len(idx.versions) == 1:
        return s.ONE_VERSION.format(version=idx.versions[0].version)
    if not chosen:
        return s.NOTHING_FOUND.format(topic=topic[:80])
    return None


def section_topics(snap: IndexSnapshot, series: str | None = None) -> dict[str, Any]:
    """The series with its versions and the section headings to pick a topic from."""
    name = resolve_series(snap, series)
    idx = series_index(snap, name)
    headings: dict[str, None] = {}
    for member in idx.versions:
        for sec in idx.sections[member.version]:
            headings.setdefault(sec.heading, None)
    return {
        "series": name,
        "versions": [
            {
                "version": m.version,
                "doc_id": m.meta.doc_id,
                "title": m.meta.title,
                "date": m.meta.date or s.NO_DATE,
            }
            for m in idx.versions
        ],
        "topics": list(headings),
        "all_series": series_names(snap),
    }


# A question asks for a change when it names one ("geändert", "Unterschied", "neu in") …
_CHANGE_CUE = re.compile(
    r"\b(?:ge|ver)änder\w*|\bänderung\w*|\bunterschied\w*|\bunterscheide\w*|\bentwickelt\b"
    r"|\bentfallen\b|\bweggefallen\b|\bneu\s+(?:in|seit|hinzu)|\bseit\s+(?:der|dem)\b",
    re.IGNORECASE,
)
# … and what is left after the question's frame words is its topic.
_FRAME_WORDS = """was wie wo welche welcher welches hat haben hatte ist sind war gab gibt es sich beim bei thema themen
    seit von vom zu zum zur in im an am den dem der die das des ein eine einer ersten erste zweiten zweite
    dritten dritte letzten neuen neuesten aktuellen alten früheren charta itas-charta fassung fassungen version
    versionen ausgabe geändert verändert veränderte änderung änderungen unterschied unterschiede unterscheiden
    unterscheidet entwickelt entfallen weggefallen neu und oder gegenüber zwischen bis heute jetzt denn eigentlich
    bezug auf hinsichtlich punkto 1.0 2.0 3.0 itas hinzugekommen hinzu dazugekommen gekommen"""
_FRAME = frozenset(_FRAME_WORDS.split())


def change_topic(question: str) -> str | None:
    """The topic of a question that asks what changed between versions, else None.

    "Was hat sich beim Thema Wasserstoff seit der ersten Charta geändert?" → "Wasserstoff". The answer
    service can pass it to `compare` and cite every version the comparison shows.
    """
    if not _CHANGE_CUE.search(question):
        return None
    words = re.findall(r"[\wÄÖÜäöüß.-]+", question)
    topic = [w.strip(".-") for w in words if w.lower().strip(".-") not in _FRAME and len(w.strip(".-")) > 1]
    return " ".join(topic) or None
