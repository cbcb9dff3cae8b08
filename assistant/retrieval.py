"""Hybrid retrieval: dense search in Chroma + German BM25, fused, version-aware and diversified."""

from __future__ import annotations

import time
from typing import Literal

from assistant.fusion import diversify, rrf, weighted_fusion
from assistant.protocols import Embedder
from assistant.settings import RetrievalSettings
from assistant.snapshot import IndexHandle, IndexSnapshot
from assistant.types import Filters, Hit

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")

# Passages of superseded charter versions step back behind the current version's unless the
# question names a version; a mild factor, so a topic only the old version covers still surfaces.
SUPERSEDED_FACTOR = 0.9


class HybridRetriever:
    """Find the chunks that best match a German question (implements `Retriever`)."""

    def __init__(
        self, handle: IndexHandle, embedder: Embedder, settings: RetrievalSettings, *, mode: Mode = "hybrid"
    ) -> None:
        self._handle = handle
        self._embedder = embedder
        self._settings = settings
        self.mode: Mode = mode
        self.last_timings_ms: dict[str, float] = {}

    def snapshot(self) -> IndexSnapshot:
        """The index generation currently served."""
        return self._handle.get()

    def retrieve(self, query: str, k: int, filters: Filters) -> list[Hit]:
        """Return up to k hits, best first."""
        snap = self._handle.get()
        n = max(self._settings.candidates, k)
        timings: dict[str, float] = {}
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if self.mode != "lexical":
            started = time.perf_counter()
            vector = self._embedder.embed_query(query)
            timings["embed"] = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            dense = snap.vectors.search(vector, n, filters)
            timings["dense"] = (time.perf_counter() - started) * 1000
        if self.mode != "dense":
            started = time.perf_counter()
            lexical = snap.lexical.search(query, n, allowed=snap.mask(filters))
            timings["lexical"] = (time.perf_counter() - started) * 1000
        fused = self._fuse(dense, lexical)
        if filters.versions is None:
            fused = self._prefer_current(snap, fused)
        ranked = diversify(
            fused,
            page_of=lambda cid: (snap.by_id[cid].doc_id, snap.by_id[cid].page_start),
            text_of=lambda cid: snap.by_id[cid].text,
            max_per_page=self._settings.max_per_page,
            limit=k,
        )
        self.last_timings_ms = timings
        dense_of, lexical_of = dict(dense), dict(lexical)
        return [
            Hit(snap.by_id[cid], score, dense_of.get(cid), lexical_of.get(cid))
            for cid, score in ranked[:k]
            if cid in snap.by_id
        ]

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

    @staticmethod
    def _prefer_current(snap: IndexSnapshot, fused: list[tuple[str, float]]) -> list[tuple[str, float]]:
        rescored = [
            (cid, score * SUPERSEDED_FACTOR if snap.superseded_by(snap.by_id[cid].meta) else score)
            for cid, score in fused
            if cid in snap.by_id
        ]
        return sorted(rescored, key=lambda item: -item[1])
