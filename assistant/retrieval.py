"""Hybrid retrieval: dense search in Chroma + German BM25, fused, version-aware and diversified."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

import numpy as np

from assistant.fusion import diversify, jaccard, rrf, weighted_fusion
from assistant.protocols import Embedder
from assistant.settings import RetrievalSettings
from assistant.snapshot import IndexHandle, IndexSnapshot
from assistant.types import Chunk, Filters, Hit

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")

# Passages of superseded versions step back behind the current version's unless the question names a
# version; a mild factor, so a topic only the old version covers still surfaces.
SUPERSEDED_FACTOR = 0.9
SAME_TEXT = 0.5  # word Jaccard above which an old version's passage says what a newer one says
# Formats whose "pages" are not printed pages (a DOCX body, a Markdown or HTML page): the per-page cap
# counts estimated sheets of about this many chunks instead (≈ 2,500 characters at the default size).
CHUNKS_PER_SHEET = 3
_PAGED_SUFFIXES = frozenset({".pdf"})


@dataclass(frozen=True)
class Retrieval:
    """What one retrieval found, with the query vector (for sentence evidence) and its timings."""

    hits: list[Hit]
    query_vector: np.ndarray | None
    timings_ms: dict[str, float] = field(default_factory=dict)


def page_key(chunk: Chunk) -> tuple[str, str, int | tuple[str, ...]]:
    """The unit the per-page cap counts: the part of a printed page under one heading (a page of short
    sector profiles holds several topics), or an estimated sheet where pages are not real."""
    paged = PurePosixPath(chunk.meta.path).suffix.lower() in _PAGED_SUFFIXES
    return chunk.doc_id, chunk.page_start, chunk.section if paged else chunk.ordinal // CHUNKS_PER_SHEET


class HybridRetriever:
    """Find the chunks that best match a German question (implements `Retriever`)."""

    def __init__(
        self, handle: IndexHandle, embedder: Embedder, settings: RetrievalSettings, *, mode: Mode = "hybrid"
    ) -> None:
        self._handle = handle
        self._embedder = embedder
        self._settings = settings
        self.mode: Mode = mode

    @property
    def embedder(self) -> Embedder:
        """The embedder that turns questions into vectors."""
        return self._embedder

    def snapshot(self) -> IndexSnapshot:
        """The index generation currently served."""
        return self._handle.get()

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        """Return up to k hits, best first."""
        return self.search(query, k, filters).hits

    def embed(self, query: str) -> np.ndarray | None:
        """The query vector (None in lexical mode, which never embeds)."""
        if self.mode == "lexical":
            return None
        return np.asarray(self._embedder.embed_query(query), dtype=np.float32)

    def search(
        self,
        query: str,
        k: int,
        filters: Filters,
        snap: IndexSnapshot | None = None,
        *,
        vector: np.ndarray | None = None,
        expansion: Sequence[str] = (),
    ) -> Retrieval:
        """Retrieve up to k hits and keep the query vector and timings with the result.

        Args:
            vector: the query's vector if the caller has it already (no second embedding).
            expansion: extra words for the lexical side only (e.g. what the charter calls a business sector).
        """
        snap = snap or self._handle.get()
        n = max(self._settings.candidates, k)
        timings: dict[str, float] = {}
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode != "lexical":
            started = time.perf_counter()
            vector = vector if vector is not None else self.embed(query)
            timings["embed"] = (time.perf_counter() - started) * 1000
            assert vector is not None
            started = time.perf_counter()
            dense = snap.vectors.search(vector.tolist(), n, filters)
            timings["dense"] = (time.perf_counter() - started) * 1000
        if self.mode != "dense":
            started = time.perf_counter()
            lexical = snap.lexical.search(" ".join([query, *expansion]), n, allowed=snap.mask(filters))
            timings["lexical"] = (time.perf_counter() - started) * 1000
        fused = [(cid, s) for cid, s in self._fuse(dense, lexical) if cid in snap.by_id]
        ranked = self._diversify(snap, fused, k)
        if filters.versions is None:
            ranked = self._prefer_current(snap, fused, ranked, k)
        dense_of, lexical_of = dict(dense), dict(lexical)
        hits = [
            Hit(snap.by_id[cid], score, dense_of.get(cid), lexical_of.get(cid)) for cid, score in ranked[:k]
        ]
        return Retrieval(hits, vector if self.mode != "lexical" else None, timings)

    def _diversify(
        self, snap: IndexSnapshot, scored: list[tuple[str, float]], k: int
    ) -> list[tuple[str, float]]:
        return diversify(
            scored,
            page_of=lambda cid: page_key(snap.by_id[cid]),
            text_of=lambda cid: snap.by_id[cid].text,
            max_per_page=self._settings.max_per_page,
            limit=k,
        )

    def _fuse(
        self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        if self.mode == "dense":
            return dense
        if self.mode == "lexical":
            return lexical
        if self._settings.fusion == "rrf":
            return rrf([[cid for cid, _ in dense], [cid for cid, _ in lexical]])
        return weighted_fusion(dense, lexical, self._settings.dense_weight)

    def _prefer_current(
        self, snap: IndexSnapshot, fused: list[tuple[str, float]], ranked: list[tuple[str, float]], k: int
    ) -> list[tuple[str, float]]:
        """Let superseded versions step back, but never out of the top k when they hold something the
        current version's passages do not say (the only passage that holds a fact must stay)."""
        rescored = sorted(
            (
                (cid, s * SUPERSEDED_FACTOR if snap.superseded_by(snap.by_id[cid].meta) else s)
                for cid, s in fused
            ),
            key=lambda item: -item[1],
        )
        stepped = self._diversify(snap, rescored, k)
        kept = {cid for cid, _ in stepped}
        words = {cid: frozenset(snap.by_id[cid].text.lower().split()) for cid, _ in [*ranked, *stepped]}
        for cid, score in ranked:
            if cid in kept or not snap.superseded_by(snap.by_id[cid].meta):
                continue
            if any(jaccard(words[cid], words[other]) > SAME_TEXT for other in kept):
                continue
            if len(stepped) >= k:
                dropped = stepped.pop()
                kept.discard(dropped[0])
            stepped.append((cid, score * SUPERSEDED_FACTOR))
            kept.add(cid)
        return sorted(stepped, key=lambda item: -item[1])
