"""Command line: `python -m evals.bench [--quick] [--out DIR] [--skip-ingest] [--corpus DIR]`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from evals.bench.core import REPORTS, BenchConfig
from evals.bench.table import render


def _parser() -> argparse.ArgumentParser:
    import evals.bench

    description = (evals.bench.__doc__ or "").splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=description)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller scaled corpus")
    parser.add_argument("--out", type=Path, help="report folder (default evals/reports/bench/<timestamp>/)")
    parser.add_argument("--skip-ingest", action="store_true", help="skip the ingest measurements")
    parser.add_argument("--corpus", type=Path, help="corpus root (default: the configured corpus)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark, print the table and say where the reports went."""
    args = _parser().parse_args(argv)
    from assistant.settings import Settings
    from evals.bench import run_bench

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
