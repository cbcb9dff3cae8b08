"""Ingest measurements: rebuilds, re-ingests and small edits on the sample corpus and a scaled copy of it."""

from __future__ import annotations

import math
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.bench.core import BenchConfig, BenchResult, Row, ingest, log, median

if TYPE_CHECKING:
    from assistant.protocols import Embedder
    from ingest.pipeline import IngestReport


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
            # A copy, not a hard link: ingest refuses hard links to files outside the corpus root.
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
        path.unlink()  # the file may be a hard link into the real corpus (replicate_corpus): never write through
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        return path.relative_to(corpus).as_posix()
    return None


# --- the sample corpus ---------------------------------------------------------------------------


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
    result.rows.extend(_rebuild_rows(reports, "ingest (sample)"))
    result.rows.extend(_change_rows(unchanged, changes, "ingest (sample)"))


def _rebuild_rows(reports: list[Any], sec: str) -> list[Row]:
    """Full-rebuild time, throughput, per-step times and the non-embedding share."""
    last = reports[-1]
    rows = [
        Row(
            sec, f"full rebuild ({last.pages} pages, {last.chunk_count} chunks)", "s", _med(reports, "total")
        ),
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
        label = f"step {step}" + (" (incl. clean)" if step == "parse" else "")
        rows.append(Row(sec, label, "s", _med(reports, step)))
    share = median([_non_embed(r) / r.timings_s["total"] * 100 for r in reports])
    rows.append(Row(sec, "share of non-embedding steps", "%", share, target="≤ 10 %", met=share <= 10))
    return rows


def _med(reports: list[Any], step: str) -> float:
    """Median seconds of one timing across the reports (0 where a step is missing)."""
    return median([r.timings_s.get(step, 0.0) for r in reports])


def _change_rows(unchanged: list[float], changes: list[dict[str, Any]], sec: str) -> list[Row]:
    """No-change re-ingest and, if a paragraph could be edited, the one-paragraph change."""
    no_change = median(unchanged)
    rows = [Row(sec, "no-change re-ingest", "s", no_change, target="≤ 2 s", met=no_change <= 2)]
    if changes:
        embedded = max(c["embedded"] for c in changes)
        changed = max(c["changed_chunks"] for c in changes)
        ok = all(0 < c["embedded"] <= c["changed_chunks"] for c in changes)
        target = f"only the changed ({changed})"
        rows.append(
            Row(sec, "one-paragraph change: chunks re-embedded", "chunks", embedded, target=target, met=ok)
        )
        rows.append(Row(sec, "one-paragraph change: re-ingest", "s", median([c["total"] for c in changes])))
    return rows


# --- the scaled corpus ---------------------------------------------------------------------------


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
    full = f"full build, cached vectors ({report.chunk_count} chunks, {report.embedded_chunks} embedded)"
    one = f"one-paragraph change: re-ingest ({changed.embedded_chunks} re-embedded)"
    result.rows.extend(
        [
            Row(sec, full, "s", report.timings_s["total"]),
            Row(sec, "pages/s, non-embedding steps", "1/s", report.pages / non_embed),
            Row(sec, "chunks/s, non-embedding steps", "1/s", report.chunk_count / non_embed),
            Row(sec, "no-change re-ingest", "s", unchanged, target="≤ 2 s", met=unchanged <= 2),
            Row(sec, one, "s", changed.timings_s["total"]),
        ]
    )
