"""`python -m evals.bench`: run the speed benchmark from the command line."""

from __future__ import annotations

from evals.bench.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
