"""The reader's view of the index: one loaded generation, reloaded when ingest switches generations."""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from assistant.analysis import STOPWORDS, fold
from assistant.backends.chroma_store import ChromaStore, open_client
from assistant.errors import EmbedderMismatch, IndexNotReady
from assistant.families import CHARTER_SERIES, series_of, version_key
from assistant.index import IndexState, StoreLayout, load_chunks, read_state
from assistant.lexical import BM25Index
from assistant.protocols import Embedder, VectorStore
from assistant.sentence_index import SENTENCES_FILE, SentenceVectors
from assistant.settings import StoreSettings
from assistant.types import Chunk, DocumentMeta, Filters

BACKGROUND_SAMPLE = 1024
_SURFACE_WORD = re.compile(r"[^\W\d_]{3,}")
__all__ = ["IndexHandle", "IndexSnapshot", "load_snapshot", "version_key"]


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
    sentences: SentenceVectors | None = None  # None for a generation written before sentence vectors

    @property
    def documents(self) -> dict[str, DocumentMeta]:
        return self.state.documents

    @cached_property
    def chunk_position(self) -> dict[str, int]:
        """Position of each chunk in chunks.jsonl order (the row order of the sentence vectors)."""
        return {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @cached_property
    def series_versions(self) -> dict[str, tuple[str, ...]]:
        """Versions of every document family (series) among the public documents, oldest first."""
        found: dict[str, set[str]] = {}
        for meta in self.documents.values():
            if meta.audience != "public":
                continue  # an internal draft never marks a public version as replaced
            series = series_of(meta)
            if series and meta.version:
                found.setdefault(series, set()).add(meta.version)
        return {s: tuple(sorted(v, key=version_key)) for s, v in found.items()}

    @property
    def known_versions(self) -> tuple[str, ...]:
        """All charter versions in the index, oldest first."""
        return self.series_versions.get(CHARTER_SERIES, ())

    @property
    def latest_version(self) -> str | None:
        """Highest charter version present in the index."""
        return self.known_versions[-1] if self.known_versions else None

    def superseded_by(self, meta: DocumentMeta) -> str | None:
        """The newest version of the document's family if `meta` is an older version of it, else None."""
        series = series_of(meta)
        versions = self.series_versions.get(series or "", ())
        if not meta.version or not versions:
            return None
        return versions[-1] if version_key(meta.version) < version_key(versions[-1]) else None

    @cached_property
    def _chunks_by_doc(self) -> dict[str, list[Chunk]]:
        grouped: dict[str, list[Chunk]] = {}
        for chunk in self.chunks:
            grouped.setdefault(chunk.doc_id, []).append(chunk)
        return grouped

    @cached_property
    def surface_counts(self) -> dict[str, int]:
        """How often each folded word of the corpus (three letters or more) occurs."""
        counts: Counter[str] = Counter()
        for chunk in self.chunks:
            counts.update(_SURFACE_WORD.findall(fold(chunk.text)))
        return dict(counts)

    @cached_property
    def surface_vocabulary(self) -> frozenset[str]:
        """Folded words of the corpus (three letters or more) plus the German stopwords."""
        return frozenset(self.surface_counts) | STOPWORDS

    @cached_property
    def sentence_sample(self) -> np.ndarray | None:
        """A fixed random sample of sentence vectors (float32): the background a question's best
        sentence is compared with (how far does the answer stand out from any sentence?)."""
        if self.sentences is None or not len(self.sentences.vectors):
            return None
        rows = np.random.default_rng(0).choice(len(self.sentences.vectors), BACKGROUND_SAMPLE)
        return self.sentences.vectors[np.unique(rows)].astype(np.float32)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The chunks of one document in reading order."""
        return self._chunks_by_doc.get(doc_id, [])

    def matching_documents(self, filters: Filters) -> list[str]:
        """Doc ids that pass the filters (an empty list means the filters exclude everything)."""
        return [d for d in self.doc_ids if filters.matches(self.documents[d])]

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
    sentences = SentenceVectors.load(layout.generation_dir(state.generation) / SENTENCES_FILE, len(chunks))
    return IndexSnapshot(state, chunks, by_id, lexical, vectors, doc_of_chunk, doc_ids, sentences)


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
