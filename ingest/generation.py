"""Embed what is new and write a complete index generation, then switch to it atomically."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from assistant.backends.chroma_store import ChromaStore, collection_names, drop_collection, open_client
from assistant.index import IndexState, StoreLayout, save_chunks, write_state
from assistant.lexical import BM25Index
from assistant.protocols import Embedder
from assistant.sentence_index import SENTENCES_FILE, SentenceVectors, chunk_sentences
from assistant.settings import Settings
from assistant.types import Chunk
from ingest.chunking import content_hash
from ingest.vector_cache import VectorCache

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport

_EMBED_BATCH = 32


def _cached_vectors(
    texts: list[str],
    embedder: Embedder,
    cache: VectorCache,
    on_batch: Callable[[int, int], None] | None = None,
) -> tuple[list[np.ndarray], list[str]]:
    """Vectors for `texts` (same order): cached ones by content hash, the rest embedded now.

    Returns the vectors and the texts that had to be embedded (each distinct text once).
    """
    hashes = [content_hash(t) for t in texts]
    found = cache.get_many(embedder.name, hashes)
    todo = list({h: t for h, t in zip(hashes, texts, strict=True) if h not in found}.items())
    for start in range(0, len(todo), _EMBED_BATCH):
        batch = todo[start : start + _EMBED_BATCH]
        vectors = np.asarray(embedder.embed_documents([text for _, text in batch]), dtype=np.float32)
        fresh = {digest: vectors[i] for i, (digest, _) in enumerate(batch)}
        cache.put_many(embedder.name, fresh)
        found.update(fresh)
        if on_batch:
            on_batch(min(start + _EMBED_BATCH, len(todo)), len(todo))
    return [found[h] for h in hashes], [text for _, text in todo]


def embed_chunks(
    chunks: list[Chunk],
    embedder: Embedder,
    layout: StoreLayout,
    report: IngestReport,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    with_sentences: bool = True,
) -> tuple[np.ndarray, SentenceVectors]:
    """Vectors for all chunks and for every sentence of every chunk (both cached by content hash).

    Sentence vectors are the semantic evidence the extractive answerer uses to pick sentences; they
    are paid for here, once, instead of at every question. Without them (`with_sentences=False`, for a
    retrieval-only benchmark) the generation stores an empty sentence file and answers use lexical evidence.
    """
    started = time.perf_counter()
    cache = VectorCache(layout.vector_cache)
    counter = getattr(embedder, "count_tokens", None)
    try:
        vectors, embedded = _cached_vectors(
            [c.text for c in chunks], embedder, cache, lambda d, n: progress and progress("embed", d, n)
        )
        per_chunk = [chunk_sentences(c) if with_sentences else [] for c in chunks]
        flat = [s for sentences in per_chunk for s in sentences]
        sentence_vectors, embedded_sentences = _cached_vectors(
            flat, embedder, cache, lambda d, n: progress and progress("embed-sentences", d, n)
        )
        report.embedded_chunks = len(embedded)
        report.embedded_sentences = len(embedded_sentences)
        if counter is not None:
            report.embedded_tokens = sum(counter(t) for t in [*embedded, *embedded_sentences])
    finally:
        cache.close()
    report.timings_s["embed"] = time.perf_counter() - started
    dim = embedder.dim
    matrices, pos = [], 0
    for sentences in per_chunk:
        rows = sentence_vectors[pos : pos + len(sentences)]
        matrices.append(np.stack(rows) if rows else np.zeros((0, dim), np.float32))
        pos += len(sentences)
    stacked = np.stack(vectors) if chunks else np.zeros((0, dim), dtype=np.float32)
    return stacked, SentenceVectors.build(matrices, dim)


def write_generation(
    settings: Settings,
    layout: StoreLayout,
    previous: IndexState | None,
    chunks: list[Chunk],
    vectors: tuple[np.ndarray, SentenceVectors],
    draft: IndexState,
) -> int:
    """Write chunks, BM25 index and a new Chroma collection; then point state.json at them."""
    generation = (previous.generation if previous else 0) + 1
    store = settings.store
    client = open_client(store.mode, layout.chroma_dir, store.host, store.port)
    name = f"{store.collection_prefix}-g{generation:06d}"
    drop_collection(client, name)  # leftover of a run that was killed before switching
    shutil.rmtree(layout.generation_dir(generation), ignore_errors=True)
    save_chunks(layout.chunks_file(generation), chunks)
    chunk_vectors, sentence_vectors = vectors
    if len(sentence_vectors.vectors):
        sentence_vectors.save(layout.generation_dir(generation) / SENTENCES_FILE)
    BM25Index.build([c.chunk_id for c in chunks], [c.text for c in chunks]).save(layout.bm25_dir(generation))
    vector_store = ChromaStore(client, name, embedder=draft.embedder, dim=draft.dim, create=True)
    vector_store.upsert(chunks, chunk_vectors.tolist())
    draft.generation, draft.collection, draft.chunk_count = generation, name, len(chunks)
    draft.last_ingest = datetime.now(UTC).isoformat(timespec="seconds")
    write_state(layout, draft)
    _collect_garbage(client, layout, store.collection_prefix, keep={generation, generation - 1})
    return generation


def _collect_garbage(client: object, layout: StoreLayout, prefix: str, keep: set[int]) -> None:
    """Drop generations older than the previous one (a reader may still hold the previous)."""
    keep_names = {f"{prefix}-g{g:06d}" for g in keep}
    for name in collection_names(client):
        if name.startswith(f"{prefix}-g") and name not in keep_names:
            drop_collection(client, name)
    root = layout.root / "generations"
    for folder in root.iterdir() if root.exists() else []:
        if folder.name.isdigit() and int(folder.name) not in keep:
            shutil.rmtree(folder, ignore_errors=True)
