"""The reader's view of the index: one loaded generation, reloaded when ingest switches generations."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant.backends.chroma_store import ChromaStore, open_client
from assistant.errors import EmbedderMismatch, IndexNotReady
from assistant.index import IndexState, StoreLayout, load_chunks, read_state
from assistant.lexical import BM25Index
from assistant.protocols import Embedder, VectorStore
from assistant.settings import StoreSettings
from assistant.types import Chunk, DocumentMeta, Filters


def version_key(version: str | None) -> tuple[int, ...]:
    """Sort key for versions like "1.0", "2.0", "3.0"."""
    parts = [int(p) for p in (version or "").split(".") if p.isdigit()]
    return tuple(parts) or (0,)


@dataclass(frozen=True)
class IndexSnapshot:
    """One complete generation: chunks, lexical index and vector store."""

    state: IndexState
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    lexical: BM25Index
    vectors: VectorStore
    doc_of_chunk: np.ndarray  # index into doc_ids, aligned with lexical.ids
    doc_ids: list[str]

    @property
    def documents(self) -> dict[str, DocumentMeta]:
        return self.state.documents

    @cached_property
    def latest_version(self) -> str | None:
        """Highest charter version present in the index."""
        versions = [m.version for m in self.documents.values() if m.doc_type == "charta" and m.version]
        return max(versions, key=version_key) if versions else None

    @cached_property
    def known_versions(self) -> tuple[str, ...]:
        """All charter versions in the index, oldest first."""
        versions = {m.version for m in self.documents.values() if m.doc_type == "charta" and m.version}
        return tuple(sorted(versions, key=version_key))

    def superseded_by(self, meta: DocumentMeta) -> str | None:
        """The current charter version if `meta` is an older charter version, else None."""
        latest = self.latest_version
        if meta.doc_type not in ("charta", "verstetigungskonzept") or not meta.version or not latest:
            return None
        return latest if version_key(meta.version) < version_key(latest) else None

    def mask(self, filters: Filters) -> np.ndarray:
        """Boolean mask over lexical positions of the chunks that pass the filters."""
        allowed_docs = np.array([filters.matches(self.documents[d]) for d in self.doc_ids] + [False])
        return allowed_docs[self.doc_of_chunk]


def load_snapshot(layout: StoreLayout, store: StoreSettings, embedder: Embedder) -> IndexSnapshot:
    """Load the generation that state.json points at."""
    state = read_state(layout)
    if state is None:
        raise IndexNotReady(f"no index in {layout.root} yet; run `itas ingest` first")
    if (state.embedder, state.dim) != (embedder.name, embedder.dim):
        raise EmbedderMismatch(
            f"the index in {layout.root} was built with {state.embedder} ({state.dim} dimensions), but "
            f"{embedder.name} ({embedder.dim}) is configured; re-index with `itas ingest --rebuild`"
        )
    chunks = load_chunks(layout.chunks_file(state.generation), state.documents)
    lexical = BM25Index.load(layout.bm25_dir(state.generation))
    client = open_client(store.mode, layout.chroma_dir, store.host, store.port)
    vectors = ChromaStore(client, state.collection, embedder=state.embedder, dim=state.dim)
    by_id = {c.chunk_id: c for c in chunks}
    doc_ids = sorted(state.documents)
    position = {d: i for i, d in enumerate(doc_ids)}
    doc_of_chunk = np.array(
        [position.get(by_id[cid].doc_id, len(doc_ids)) for cid in lexical.ids], dtype=np.int64
    )
    return IndexSnapshot(state, chunks, by_id, lexical, vectors, doc_of_chunk, doc_ids)


class IndexHandle:
    """Hands out the current snapshot; reloads cheaply when ingest has switched generations."""

    def __init__(self, root: Path, store: StoreSettings, embedder: Embedder) -> None:
        self._layout = StoreLayout(root)
        self._store = store
        self._embedder = embedder
        self._lock = threading.Lock()
        self._snapshot: IndexSnapshot | None = None
        self._stamp: tuple[int, int] | None = None

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._layout.state_file.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def get(self) -> IndexSnapshot:
        """Return the snapshot of the current generation (one stat() per call)."""
        stamp = self._current_stamp()
        if self._snapshot is not None and stamp == self._stamp:
            return self._snapshot
        with self._lock:
            if self._snapshot is None or stamp != self._stamp:
                self._snapshot = load_snapshot(self._layout, self._store, self._embedder)
                self._stamp = stamp
            return self._snapshot
