"""GermanQuAD as an external retrieval benchmark, run through the product's own ingest and retriever.

The 474 test passages become plain .txt files in a corpus folder under the store directory, are ingested
with `run_ingest` (the product's chunking and default settings; the vector cache in the store makes
re-runs cheap), and every question is answered by `HybridRetriever.retrieve` in each mode. Chunks are
folded to documents by first occurrence; the metrics are document-level MRR@10 and Success@1/5/10, as in
the published table (data: deepset GermanQuAD, CC BY 4.0, converted to a retrieval format; see
/work/shared/bench/germanquad/README.md).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.protocols import Embedder
from assistant.retrieval import HybridRetriever, Mode
from assistant.settings import Settings
from assistant.types import Filters
from evals import metrics

log = logging.getLogger(__name__)

MODES: tuple[Mode, ...] = ("lexical", "dense", "hybrid")
CUTOFFS = (1, 5, 10)
PUBLISHED_FILE = Path(__file__).with_name("germanquad_published.yaml")


@dataclass(frozen=True)
class GermanQuAD:
    """Passages, questions and the one relevant passage of each question."""

    docs: dict[str, str]
    queries: dict[str, str]
    qrels: dict[str, set[str]]


@dataclass
class GermanQuadOptions:
    """How to run the benchmark (defaults: all modes, 50 chunks per question, no fusion study)."""

    modes: Sequence[Mode] = MODES
    k: int = 50  # chunks per question; several chunks of one passage fold into one document rank
    embedder: Embedder | None = None  # default: the one the settings name
    fusion_cv: bool = False  # also run the 2-fold cross-validated fusion study (evals/fusion_cv.py)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_germanquad(data_dir: Path) -> GermanQuAD:
    """Read docs/queries/qrels.normalized.jsonl from `data_dir`."""
    docs = {r["doc_id"]: r["text"] for r in _read_jsonl(data_dir / "docs.normalized.jsonl")}
    queries = {r["query_id"]: r["query_text"] for r in _read_jsonl(data_dir / "queries.normalized.jsonl")}
    qrels: dict[str, set[str]] = {}
    for r in _read_jsonl(data_dir / "qrels.normalized.jsonl"):
        if int(r.get("relevance", 1)) > 0:
            qrels.setdefault(r["query_id"], set()).add(r["doc_id"])
    return GermanQuAD(docs, {q: t for q, t in queries.items() if q in qrels}, qrels)


def write_passages(data: GermanQuAD, corpus_dir: Path) -> Path:
    """Write one `<doc_id>.txt` per passage plus a manifest (doc_type study, public); return corpus_dir."""
    documents = corpus_dir / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    wanted = {f"{doc_id}.txt" for doc_id in data.docs}
    for stale in documents.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    entries = []
    for doc_id, text in sorted(data.docs.items()):
        path = documents / f"{doc_id}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        # The first line of every passage is the Wikipedia article name, with underscores for spaces.
        title = text.split("\n", 1)[0].replace("_", " ").strip() or doc_id
        entries.append(
            {
                "doc_id": doc_id,
                "file": f"documents/{doc_id}.txt",
                "title": title,
                "doc_type": "study",
                "audience": "public",
            }
        )
    manifest = {"sample_notice": "GermanQuAD (deepset, CC BY 4.0), converted", "documents": entries}
    (corpus_dir / "manifest.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return corpus_dir


def store_settings(settings: Settings, store_dir: Path) -> Settings:
    """The given settings with the store and corpus moved into `store_dir`."""
    return settings.model_copy(
        update={
            "store": settings.store.model_copy(update={"path": store_dir, "mode": "embedded"}),
            # Retrieval figures only: sentence vectors (answer evidence) would cost ~10× the embedding time
            "ingest": settings.ingest.model_copy(
                update={"corpus_path": store_dir / "corpus", "sentence_vectors": False}
            ),
        }
    )


def rank_of_gold(retriever: HybridRetriever, query: str, gold: set[str], k: int) -> int | None:
    """1-based document rank of the relevant passage among the retrieved chunks, or None."""
    hits = retriever.retrieve(query, k, Filters())
    ranked = metrics.document_ranking(hit.chunk.doc_id for hit in hits)
    return metrics.first_hit_rank([d in gold for d in ranked])


def run_queries(
    retriever: HybridRetriever, data: GermanQuAD, k: int, qids: Sequence[str] | None = None
) -> tuple[dict[str, int | None], list[float]]:
    """Gold ranks per question id and the per-question latency in ms."""
    ranks: dict[str, int | None] = {}
    latencies: list[float] = []
    qids = list(data.queries) if qids is None else qids
    for n, qid in enumerate(qids, start=1):
        started = time.perf_counter()
        ranks[qid] = rank_of_gold(retriever, data.queries[qid], data.qrels[qid], k)
        latencies.append((time.perf_counter() - started) * 1000)
        if n % 500 == 0:
            log.info("  %s: %d/%d questions", retriever.mode, n, len(qids))
    return ranks, latencies


def summarize(ranks: Sequence[int | None]) -> dict[str, float]:
    """MRR@10 and Success@1/5/10 from gold ranks."""
    out = {"mrr@10": _mean([0.0 if r is None or r > 10 else 1.0 / r for r in ranks])}
    for cutoff in CUTOFFS:
        out[f"success@{cutoff}"] = _mean([float(r is not None and r <= cutoff) for r in ranks])
    return out


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def load_published(path: Path = PUBLISHED_FILE) -> dict[str, Any]:
    """The published GermanQuAD table with its attribution."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def run_germanquad(
    data_dir: Path, store_dir: Path, settings: Settings, options: GermanQuadOptions | None = None
) -> dict[str, Any]:
    """Ingest the passages into `store_dir` and score every question in every mode.

    Returns a dict with `modes` (mode → mrr@10, success@k, latency), `ranks` (mode → question → rank),
    `ingest` and `corpus` facts, and `fusion_cv` when asked for.
    """
    from assistant.factory import build_embedder
    from assistant.services import build_services
    from ingest.pipeline import run_ingest

    options = options or GermanQuadOptions()
    data = load_germanquad(Path(data_dir))
    gq_settings = store_settings(settings, Path(store_dir))
    embedder = options.embedder or build_embedder(gq_settings.embedder)
    corpus = write_passages(data, Path(store_dir) / "corpus")
    log.info("GermanQuAD: ingesting %d passages into %s", len(data.docs), store_dir)
    report = run_ingest(gq_settings, corpus, embedder=embedder)
    services = build_services(gq_settings, embedder=embedder)
    result: dict[str, Any] = {
        "corpus": {"passages": len(data.docs), "questions": len(data.queries), "chunks": report.chunk_count},
        "ingest": {
            "seconds": round(report.timings_s.get("total", 0.0), 1),
            "embedded_chunks": report.embedded_chunks,
        },
        "k": options.k,
        "modes": {},
        "ranks": {},
    }
    for mode in options.modes:
        log.info("GermanQuAD: %d questions, mode %s", len(data.queries), mode)
        retriever = services.with_mode(mode, use_llm=False).retriever
        started = time.perf_counter()
        ranks, latencies = run_queries(retriever, data, options.k)
        result["modes"][mode] = {
            **summarize(list(ranks.values())),
            "seconds": round(time.perf_counter() - started, 1),
            "latency_ms_p50": metrics.percentile(latencies, 50),
            "latency_ms_p95": metrics.percentile(latencies, 95),
        }
        result["ranks"][mode] = ranks
    if options.fusion_cv:
        from evals.fusion_cv import cross_validate_fusion

        result["fusion_cv"] = cross_validate_fusion(services, data, options.k)
    return result
