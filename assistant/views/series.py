"""One document series of the current index generation: its versions' sections, their stored vectors and
word statistics, and the alignment of consecutive versions (built once per generation)."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import numpy as np

from assistant.families import FamilyVersion, series_names, series_of, versions_of
from assistant.snapshot import IndexSnapshot
from assistant.views import UnknownItem
from assistant.views import strings as s
from assistant.views.alignment import Pair, align, similarity_matrix, tfidf_cosine
from assistant.views.corpus import (
    Section,
    TermStats,
    chunk_vectors,
    chunks_by_doc,
    generation_cache,
    sections_of,
)


@dataclass(frozen=True)
class SeriesIndex:
    """Sections, their vectors and their alignment for every version of one series."""

    series: str
    versions: list[FamilyVersion]
    sections: dict[str, list[Section]]
    chunk_vecs: dict[str, np.ndarray]  # per version: one row per chunk id of its sections
    chunk_rows: dict[str, dict[str, int]]
    terms: dict[str, list[Counter[str]]]  # analysed words per section (heading + text)
    stats: TermStats
    features: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]  # (older, newer) → (dense, words) cosines
    pairs: dict[tuple[str, str], list[Pair]]  # consecutive versions → aligned sections

    @property
    def stats_avg_len(self) -> float:
        """Mean number of analysed words per section."""
        sizes = [sum(c.values()) for counts in self.terms.values() for c in counts]
        return max(1.0, sum(sizes) / max(1, len(sizes)))


def build_series_index(snap: IndexSnapshot, series: str) -> SeriesIndex:
    """Collect and align the sections of every version of a series (public documents only)."""
    family = versions_of(snap, series)
    grouped = chunks_by_doc(snap)
    analyze_ = snap.lexical.analyze  # the index's own compound splitter
    sections: dict[str, list[Section]] = {}
    vecs: dict[str, np.ndarray] = {}
    rows: dict[str, dict[str, int]] = {}
    means: dict[str, np.ndarray] = {}
    for member in family:
        secs = [x for x in sections_of(grouped.get(member.meta.doc_id, [])) if x.text.strip()]
        ids = list(dict.fromkeys(cid for x in secs for cid in x.chunk_ids))
        sections[member.version] = secs
        vecs[member.version] = chunk_vectors(snap, ids)
        rows[member.version] = {cid: i for i, cid in enumerate(ids)}
        means[member.version] = section_means(secs, vecs[member.version], rows[member.version])
    terms = {v: [Counter(analyze_(x.heading + " " + x.text)) for x in secs] for v, secs in sections.items()}
    stats = TermStats((x.heading + " " + x.text for secs in sections.values() for x in secs), analyze_)
    idf = {t: stats.idf(t) for t in stats.df}
    features, pairs = {}, {}
    for older, newer in itertools.pairwise(family):
        a, b = older.version, newer.version
        words = tfidf_cosine(
            [list(c.elements()) for c in terms[a]], [list(c.elements()) for c in terms[b]], idf
        )
        features[(a, b)] = (means[a] @ means[b].T, words)
        sim = similarity_matrix(
            [x.heading for x in sections[a]], [x.heading for x in sections[b]], *features[(a, b)]
        )
        pairs[(a, b)] = align(sim)
    return SeriesIndex(series, family, sections, vecs, rows, terms, stats, features, pairs)


def section_means(secs: list[Section], vecs: np.ndarray, rows: dict[str, int]) -> np.ndarray:
    """The normalised mean passage vector of each section."""
    if not secs:
        return np.zeros((0, vecs.shape[1] if vecs.ndim == 2 else 1), dtype=np.float32)
    means = np.stack([vecs[[rows[c] for c in x.chunk_ids]].mean(axis=0) for x in secs])
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return means / np.where(norms == 0, 1, norms)


def series_index(snap: IndexSnapshot, series: str) -> SeriesIndex:
    """The series index of the current generation (built once)."""
    return generation_cache(snap, f"series:{series}", lambda: build_series_index(snap, series))


def successors(snap: IndexSnapshot, chunk_id: str) -> list[str]:
    """In each later version of the chunk's series, the chunk most like it in the section that the
    alignment pairs with its section (what became of a passage of the first charter), oldest first."""
    meta = snap.by_id[chunk_id].meta
    series = series_of(meta)
    if not series or not meta.version or meta.audience != "public":
        return []
    idx = series_index(snap, series)
    versions = [m.version for m in idx.versions]
    if meta.version not in versions:
        return []
    here = next((i for i, x in enumerate(idx.sections[meta.version]) if chunk_id in x.chunk_ids), None)
    source = (
        idx.chunk_vecs[meta.version][idx.chunk_rows[meta.version][chunk_id]] if here is not None else None
    )
    out: list[str] = []
    for older, newer in itertools.pairwise(versions[versions.index(meta.version) :]):
        here = next((p.new for p in idx.pairs.get((older, newer), []) if p.old == here), None)
        if here is None or source is None:
            break
        ids = idx.sections[newer][here].chunk_ids
        rows = idx.chunk_vecs[newer][[idx.chunk_rows[newer][c] for c in ids]]
        out.append(ids[int(np.argmax(rows @ source))])
    return out


def resolve_series(snap: IndexSnapshot, series: str | None) -> str:
    """The requested series, or the one with the most versions when none is named."""
    names = series_names(snap)
    if not names:
        raise UnknownItem(s.NO_SERIES)
    if not series:
        return max(names, key=lambda n: (len(versions_of(snap, n)), n))
    if series not in names:
        raise UnknownItem(s.UNKNOWN_SERIES.format(value=series[:80], valid=", ".join(names)))
    return series
