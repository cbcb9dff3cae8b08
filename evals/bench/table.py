"""The reports: `bench.md` (a header with the conditions, then one table) and `bench.json`."""

from __future__ import annotations

import json
from dataclasses import asdict

from evals.bench.core import BenchConfig, BenchResult, Row

HEADER = "| Section | Metric | Median | p95 | Ours / baseline | Target | Met? |"


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def _table_line(r: Row) -> str:
    """One Markdown table line for a row."""
    met = "–" if r.met is None else "yes" if r.met else "**no**"
    ratio = "–" if r.ratio is None else f"{r.ratio:.2f}× (p95 {r.ratio_p95 or 0:.2f}×)"
    cells = [r.section, r.metric, _fmt(r.median, r.unit), _fmt(r.p95, r.unit), ratio, r.target or "–", met]
    return "| " + " | ".join(cells) + " |"


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
        HEADER,
        "|---|---|---|---|---|---|---|",
    ]
    lines.extend(_table_line(r) for r in result.rows)
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
