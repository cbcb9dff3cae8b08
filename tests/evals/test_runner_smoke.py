"""Smoke runs of the eval code paths on tiny data: gold runner + report, and a GermanQuAD slice.

No quality floors here (evals are not tests): only that everything runs, files appear and metrics are
proportions.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.services import build_services
from evals.germanquad import GermanQuadOptions, run_germanquad
from evals.gold import load_gold
from evals.report import write_report
from evals.runner import run_gold
from ingest.pipeline import run_ingest

from helpers.corpus import settings_for, write_corpus

FIXTURE_GOLD = Path(__file__).with_name("fixture_gold.yaml")
GERMANQUAD = Path(__file__).resolve().parents[3] / "shared" / "bench" / "germanquad"
MODES = ("lexical", "dense", "hybrid")


def _proportions(values: dict[str, float | None]) -> list[str]:
    """Names of metrics that are not None and outside [0, 1]."""
    return [k for k, v in values.items() if v is not None and not 0.0 <= v <= 1.0]


def _calibration_needs_no_stored_model(services, items, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`python -m evals.calibrate` collects features without the stored model: after a feature change the
    old file cannot be loaded, and calibration is what writes the new one."""
    from assistant import abstention
    from evals.calibrate import collect, fit

    def outdated() -> None:
        raise ValueError("stored model is out of date")

    monkeypatch.setattr(abstention, "load_model", outdated)
    points = collect(services, items, "hybrid")
    assert [set(p.values) for p in points] == [set(abstention.FEATURES)] * len(items)
    assert len(fit(points)["coef"]) == len(abstention.FEATURES)


def test_gold_run_writes_a_report_with_plots(tmp_path, e5, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    settings = settings_for(tmp_path)
    run_ingest(settings, corpus, embedder=e5)
    items = load_gold(FIXTURE_GOLD, corpus)
    results = run_gold(build_services(settings, embedder=e5), items, modes=MODES)

    assert results.modes == list(MODES)
    assert len(results.items) == len(items) * len(MODES)
    for item in results.items:
        assert _proportions(item.metrics) == [], item
        assert item.answer and item.latency_ms > 0
        assert len(item.retrieved) <= 10
    for mode in MODES:
        overall = results.summary[mode]["overall"]
        assert overall["n"] == len(items)
        quality = {
            k: v for k, v in overall.items() if not k.startswith("latency") and k not in ("n", "failing")
        }
        assert _proportions(quality) == []
        assert set(results.summary[mode]["by_category"]) == {i.category for i in items}

    _calibration_needs_no_stored_model(build_services(settings, embedder=e5), items, monkeypatch)

    run_dir = write_report(tmp_path / "report", gold=results, meta={"created": "test"}, violations=[])
    for name in (
        "report.md",
        "report.html",
        "results.json",
        "recall_at_k.png",
        "categories.png",
        "latency.png",
    ):
        assert (run_dir / name).stat().st_size > 0, name
    saved = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    assert len(saved["gold"]["items"]) == len(results.items)
    assert "data:image/png;base64," in (run_dir / "report.html").read_text(encoding="utf-8")


def _write_slice(src: Path, dst: Path, passages: int = 5, questions: int = 10) -> Path:
    """The shortest `passages` GermanQuAD passages and up to `questions` of their questions."""
    docs = [json.loads(line) for line in (src / "docs.normalized.jsonl").read_text().splitlines()]
    qrels = [json.loads(line) for line in (src / "qrels.normalized.jsonl").read_text().splitlines()]
    queries = {
        q["query_id"]: q for q in map(json.loads, (src / "queries.normalized.jsonl").read_text().splitlines())
    }
    chosen = {d["doc_id"] for d in sorted(docs, key=lambda d: len(d["text"]))[:passages]}
    per_doc: dict[str, int] = {}
    kept = []
    for rel in qrels:
        if rel["doc_id"] in chosen and per_doc.get(rel["doc_id"], 0) < questions // passages:
            per_doc[rel["doc_id"]] = per_doc.get(rel["doc_id"], 0) + 1
            kept.append(rel)
    dst.mkdir(parents=True)
    for name, rows in (
        ("docs", [d for d in docs if d["doc_id"] in chosen]),
        ("queries", [queries[r["query_id"]] for r in kept]),
        ("qrels", kept),
    ):
        (dst / f"{name}.normalized.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return dst


_TOPICS = [
    ("Aufzug", "Ein seilloser Aufzug wird von Linearmotoren bewegt und soll sehr hohe Gebäude erschließen."),
    (
        "Honigbiene",
        "Die Honigbiene sammelt Nektar und bestäubt dabei Obstbäume; ein Volk überwintert als Traube.",
    ),
    (
        "Vulkan",
        "Ein Schichtvulkan entsteht aus abwechselnden Lagen von Lava und Asche und bricht explosiv aus.",
    ),
    ("Orgel", "Die Orgel erzeugt Töne mit Pfeifen, die über Register und Manuale angesteuert werden."),
    ("Gezeiten", "Ebbe und Flut entstehen durch die Anziehung des Mondes und der Sonne auf die Ozeane."),
]


def _write_synthetic(dst: Path) -> Path:
    """A GermanQuAD-shaped slice written by the test (used when ../shared is not beside the clone)."""
    dst.mkdir(parents=True)
    docs, queries, qrels = [], [], []
    for i, (title, text) in enumerate(_TOPICS):
        docs.append({"doc_id": f"c{i}", "title": "", "text": f"{title}\n\n=== Abschnitt ===\n{text}"})
        for j, question in enumerate((f"Was ist über {title} bekannt?", f"Wie funktioniert {title}?")):
            queries.append({"query_id": f"q{i}{j}", "query_text": question})
            qrels.append({"query_id": f"q{i}{j}", "doc_id": f"c{i}", "relevance": 1})
    for name, rows in (("docs", docs), ("queries", queries), ("qrels", qrels)):
        (dst / f"{name}.normalized.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return dst


def test_germanquad_slice_runs_through_ingest_and_every_mode(tmp_path, e5, monkeypatch):
    if GERMANQUAD.is_dir():
        data = _write_slice(GERMANQUAD, tmp_path / "gq")
    else:
        data = _write_synthetic(tmp_path / "gq")
    settings = settings_for(tmp_path)
    result = run_germanquad(
        data, tmp_path / "gq-store", settings, GermanQuadOptions(embedder=e5, fusion_cv=True)
    )

    assert result["corpus"]["passages"] == 5 and result["corpus"]["questions"] == 10
    assert set(result["modes"]) == set(MODES)
    for figures in result["modes"].values():
        assert _proportions({k: figures[k] for k in ("mrr@10", "success@1", "success@5", "success@10")}) == []
    assert result["fusion_cv"]["rows"][0]["config"].startswith("2-fold CV")

    run_dir = write_report(tmp_path / "report", germanquad=result, meta={"created": "test"})
    assert (run_dir / "germanquad.png").stat().st_size > 0

    # The CLI prints exactly mode → four figures on stdout; the store is reused (nothing re-embedded).
    monkeypatch.setenv("ITAS_STORE__PATH", str(tmp_path / "unused"))
    out = CliRunner().invoke(
        app, ["eval", "germanquad", "--data", str(data), "--store", str(tmp_path / "gq-store"),
              "--json", "--out", str(tmp_path / "reports")],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    figures = json.loads(out.stdout)
    assert list(figures) == list(MODES)
    assert all(list(v) == ["mrr@10", "success@1", "success@5", "success@10"] for v in figures.values())
    assert figures == {m: {k: round(v[k], 4) for k in figures[m]} for m, v in result["modes"].items()}
