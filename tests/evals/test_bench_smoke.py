"""Smoke test of the speed benchmark: the machinery runs end to end and writes its reports (no timings)."""

from __future__ import annotations

import json
from pathlib import Path

from evals.bench import BenchConfig, run_bench

from helpers.corpus import write_corpus

EXPECTED_METRICS = {
    "share of non-embedding steps",
    "no-change re-ingest",
    "one-paragraph change: chunks re-embedded",
    "pages/s, non-embedding steps",
    "query embedding alone",
    "retrieval (ours, hybrid)",
    "retrieval (baseline: LangChain Ensemble BM25 + Chroma)",
    "extractive answer (ours, end to end)",
    "request latency under load",
}


def test_quick_bench_writes_table_and_json(tmp_path: Path, e5) -> None:  # type: ignore[no-untyped-def]
    corpus = write_corpus(tmp_path / "corpus")
    cfg = BenchConfig(corpus=corpus, out=tmp_path / "out", latest=tmp_path / "latest", quick=True)

    result = run_bench(cfg, embedder=e5)

    table = (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
    assert table == (tmp_path / "latest" / "bench.md").read_text(encoding="utf-8")
    assert "| Section | Metric | Median | p95 | Ours / baseline | Target | Met? |" in table
    payload = json.loads((tmp_path / "out" / "bench.json").read_text(encoding="utf-8"))
    metrics = {row["metric"] for row in payload["rows"]}
    assert metrics >= EXPECTED_METRICS
    assert any(m.startswith("answers/s") for m in metrics)
    sections = {row["section"] for row in payload["rows"]}
    assert any(s.startswith("queries (scaled") for s in sections)
    assert any(s.startswith("HTTP (scaled") for s in sections)
    assert len(payload["rows"]) == len(result.rows) == table.count("\n| ") - 1
    # the one-paragraph change re-embeds something, and only chunks that changed
    assert next(r for r in result.rows if r.metric.endswith("chunks re-embedded")).met is True
    http = payload["details"]["http"]["scaled"]
    assert http["errors"] == 0 and http["ok"] == 16
    assert payload["meta"]["corpora"]["scaled"]["chunks"] >= 60
