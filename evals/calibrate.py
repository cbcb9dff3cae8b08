"""Calibrate the refusal thresholds (min_coverage, min_dense) on a dev half of the gold set.

Run `python -m evals.calibrate` on an ingested sample corpus. Thresholds are chosen on the items with
an even position (dev) by balanced accuracy of "refuse ⇔ the gold set expects a refusal", and reported
on the odd half (held out) as well, so the choice is not fitted to the figures it is judged by.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass

from assistant.answering import Question
from assistant.services import Services, build_services
from assistant.settings import Settings
from evals.gold import GoldItem, load_gold

COVERAGES = [round(0.2 + 0.02 * i, 2) for i in range(21)]
DENSES = [round(0.74 + 0.01 * i, 2) for i in range(11)]


@dataclass(frozen=True)
class Point:
    """The evidence the answerer sees for one gold item."""

    coverage: float
    dense: float
    broad: bool
    has_sentences: bool
    expect_refusal: bool


def collect(services: Services, items: list[GoldItem]) -> list[Point]:
    """Evidence per item from the same service the API uses."""
    points = []
    for item in items:
        evidence = services.answerer.gather(Question(item.question, list(item.history)))
        sel = evidence.selection
        points.append(Point(sel.coverage, sel.dense, sel.broad, bool(sel.sentences), item.refusal))
    return points


def refuses(p: Point, min_coverage: float, min_dense: float) -> bool:
    """The answerer's refusal rule for given thresholds."""
    if not p.has_sentences:
        return True
    if p.broad:
        return p.dense < min_dense
    return p.coverage < min_coverage or p.dense < min_dense


def balanced_accuracy(points: list[Point], min_coverage: float, min_dense: float) -> float:
    """Mean of the recall on answerable and on unanswerable items."""
    pos = [p for p in points if p.expect_refusal]
    neg = [p for p in points if not p.expect_refusal]
    tpr = sum(refuses(p, min_coverage, min_dense) for p in pos) / max(1, len(pos))
    tnr = sum(not refuses(p, min_coverage, min_dense) for p in neg) / max(1, len(neg))
    return (tpr + tnr) / 2


def main() -> None:
    """Print the chosen thresholds and their dev / held-out / overall balanced accuracy."""
    settings = Settings()
    services = build_services(settings)
    points = collect(services, load_gold())
    dev, held_out = points[::2], points[1::2]
    grid = itertools.product(COVERAGES, DENSES)
    best = max(grid, key=lambda t: (round(balanced_accuracy(dev, *t), 4), -abs(t[0] - 0.34), t[1]))
    current = (settings.retrieval.min_coverage, settings.retrieval.min_dense)
    report = {
        "chosen": {"min_coverage": best[0], "min_dense": best[1]},
        "dev": balanced_accuracy(dev, *best),
        "held_out": balanced_accuracy(held_out, *best),
        "overall": balanced_accuracy(points, *best),
        "current": {"thresholds": current, "overall": balanced_accuracy(points, *current)},
    }
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
