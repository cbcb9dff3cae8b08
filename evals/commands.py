"""What `itas eval` and `itas eval germanquad` do, kept out of the CLI module (which only parses options)."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals import report
from evals.floors import FLOORS_FILE, check_floors, load_floors

log = logging.getLogger(__name__)
DEFAULT_MODES = ("lexical", "dense", "hybrid")


@dataclass
class GoldEvalOptions:
    """Options of `itas eval`."""

    gold: Path | None = None  # default: evals/gold.yaml (evals.gold.load_gold's default)
    modes: tuple[str, ...] = DEFAULT_MODES
    llm: bool | None = None  # None: add "hybrid+llm" when an LLM endpoint is configured
    check: bool = False
    latest: bool = False
    limit: int | None = None
    out: Path | None = None  # parent folder of the run folder (default evals/reports)
    germanquad: Path | None = None  # results.json with GermanQuAD figures (default: the newest run's)
    floors: Path = FLOORS_FILE
    dev: Path | None = None  # the shared dev set folder (default ../shared/bench/itas-dev when present)


@dataclass
class Outcome:
    """Where the report went, and the floors it undercut."""

    run_dir: Path
    violations: list[str] = field(default_factory=list)
    latest: Path | None = None
    result: dict[str, Any] = field(default_factory=dict)


def setup_logging() -> None:
    """Log to stderr (stdout is kept for --json output)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s")


def newest_germanquad(reports: Path) -> Path | None:
    """The newest results.json under `reports` that holds GermanQuAD figures."""
    for path in sorted(reports.glob("*/results.json"), reverse=True):
        if path.parent.name == "latest":
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("germanquad"):
                return path
        except (OSError, ValueError):
            continue
    return None


def git_revision() -> dict[str, Any]:
    """The commit the code was run from, and whether the working tree had changes (None outside git)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root, capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(dirty)}


def _meta(settings: Settings, gold_path: Path | None) -> dict[str, Any]:
    gold: dict[str, Any] = {"path": str(gold_path) if gold_path else None, "sha256": None}
    if gold_path and gold_path.is_file():
        gold["sha256"] = report.file_sha256(gold_path)
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "settings": report.settings_snapshot(settings),
        "versions": report.package_versions(),
        "index": report.index_hash(settings.store.path),
        # Thread settings change latency a lot on a busy machine (OpenMP spin-waiting), never the scores.
        "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith(("OMP_", "MKL_"))},
        "gold": gold,
    }


def gold_eval(settings: Settings, options: GoldEvalOptions) -> Outcome:
    """Run the gold set on the configured store, write the report, check floors if asked."""
    from assistant.services import build_services
    from evals.gold import load_gold
    from evals.runner import run_gold

    # Validate the gold pages against the corpus the index is built from, when it has a manifest.
    corpus = (
        settings.ingest.corpus_path if (settings.ingest.corpus_path / "manifest.yaml").is_file() else None
    )
    items = load_gold(options.gold, corpus)
    if options.limit:
        items = items[: options.limit]
    services = build_services(settings)
    llm = services.chat is not None if options.llm is None else options.llm
    log.info(
        "gold set: %d questions, modes %s%s", len(items), ",".join(options.modes), " + LLM" if llm else ""
    )
    results = run_gold(services, items, modes=options.modes, llm=llm, progress=_log_progress)
    base = options.out or report.REPORTS_DIR
    gq_path = options.germanquad or newest_germanquad(base)
    germanquad = json.loads(gq_path.read_text(encoding="utf-8"))["germanquad"] if gq_path else None
    measured: dict[str, Any] = {"gold": results.summary}
    if germanquad:
        germanquad["from"] = str(gq_path)
        (germanquad.get("fusion_cv") or {}).pop("ranks", None)  # written by older runs; too big to commit
        measured["germanquad"] = germanquad["modes"]
    dev = _dev_run(services, options.dev)
    if dev:
        measured["dev"] = dev["rates"]
    violations = check_floors(measured, load_floors(options.floors)) if options.check else None
    gold_path = options.gold or _default_gold_path()
    run_dir = report.write_report(
        report.new_run_dir(base),
        gold=results,
        germanquad=germanquad,
        meta=_meta(settings, gold_path),
        violations=violations,
        dev=dev,
    )
    latest = report.copy_latest(run_dir) if options.latest else None
    return Outcome(
        run_dir, violations or [], latest, {"summary": results.summary, "dev": dev and dev["summary"]}
    )


def _dev_run(services: Any, folder: Path | None) -> dict[str, Any] | None:
    """Answer the shared dev set (hybrid, no LLM) when its folder exists; None otherwise."""
    from evals.devset import DEFAULT_DEV, load_dev, rates, results_json, run_dev, summarize_dev

    folder = folder or DEFAULT_DEV
    if not (folder / "questions.jsonl").is_file():
        log.info("no shared dev set at %s; skipped", folder)
        return None
    results = run_dev(services.with_mode("hybrid", use_llm=False), load_dev(folder))
    summary = summarize_dev(results)
    log.info("dev set: %d/%d passed", summary["passed"], summary["n"])
    return {"path": str(folder), "summary": summary, "rates": rates(summary), "items": results_json(results)}


def _log_progress(mode: str, done: int, total: int) -> None:
    if done % 25 == 0 or done == total:
        log.info("  %s: %d/%d questions", mode, done, total)


def _default_gold_path() -> Path | None:
    path = Path(__file__).with_name("gold.yaml")
    return path if path.is_file() else None


@dataclass
class GermanQuadEvalOptions:
    """Options of `itas eval germanquad`."""

    data: Path
    store: Path
    fusion_cv: bool = False
    out: Path | None = None
    latest: bool = False


def germanquad_eval(settings: Settings, options: GermanQuadEvalOptions) -> Outcome:
    """Run GermanQuAD through the product's ingest and retriever and write a report."""
    from evals.germanquad import GermanQuadOptions, run_germanquad, store_settings

    started = time.perf_counter()
    result = run_germanquad(
        options.data, options.store, settings, GermanQuadOptions(fusion_cv=options.fusion_cv)
    )
    result["seconds"] = round(time.perf_counter() - started, 1)
    meta = _meta(store_settings(settings, options.store), None)
    meta["germanquad_data"] = {
        name: report.file_sha256(options.data / name)
        for name in ("docs.normalized.jsonl", "queries.normalized.jsonl", "qrels.normalized.jsonl")
    }
    run_dir = report.write_report(
        report.new_run_dir(options.out or report.REPORTS_DIR), germanquad=result, meta=meta
    )
    latest = report.copy_latest(run_dir) if options.latest else None
    return Outcome(run_dir, [], latest, result)


def headline(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The `--json` shape: mode → mrr@10, success@1, success@5, success@10."""
    keys = ("mrr@10", "success@1", "success@5", "success@10")
    return {mode: {k: round(float(v[k]), 4) for k in keys} for mode, v in result["modes"].items()}
