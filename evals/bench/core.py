"""Shared pieces of the benchmark: configuration, result rows, statistics, logging and the ingest call."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.bench.questions import QUESTIONS

if TYPE_CHECKING:
    from assistant.protocols import Embedder
    from assistant.settings import Settings
    from ingest.pipeline import IngestReport

REPORTS = Path("evals/reports")


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


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Call fn(*args); return (milliseconds, result)."""
    started = time.perf_counter()
    value = fn(*args)
    return (time.perf_counter() - started) * 1000, value


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
