"""Fit the abstention model on the dev half of the gold set and store it with its provenance.

Run `python -m evals.calibrate` on an ingested sample corpus (add `--write` to replace
`assistant/abstention.json`). For each retrieval mode the features come from the same answer service the
API uses (`AnswerService.gather` → `assistant.abstention.features`); a logistic regression
(scikit-learn, balanced classes) is fitted on the items at even positions (dev) and its threshold chosen
there by balanced accuracy; the items at odd positions (held out) are only reported. The refusal rule
itself lives in `assistant.abstention` alone: this module fits its parameters and calls `decide`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from assistant.abstention import FEATURES, MODEL_FILE, MODEL_VERSION, decide, features
from assistant.answering import Evidence, Question
from assistant.services import Services, build_services
from assistant.settings import Settings
from evals.gold import DEFAULT_GOLD, GoldItem, load_gold
from evals.runner import filters_for

MODES = ("hybrid", "dense", "lexical")
THRESHOLDS = [round(0.2 + 0.02 * i, 2) for i in range(31)]
C = 0.3  # L2 strength: ~140 items and ten correlated features; stronger regularisation keeps the fit stable
TIE = 0.01  # balanced accuracies this close count as equal; then the threshold nearest 0.5 wins


@dataclass(frozen=True)
class Point:
    """The evidence the answerer sees for one gold item, and what the gold set expects."""

    values: dict[str, float]
    evidence: Evidence
    expect_refusal: bool


def collect(services: Services, items: list[GoldItem], mode: str) -> list[Point]:
    """Features per item from the same service the API uses."""
    answerer = services.with_mode(mode, use_llm=False)  # type: ignore[arg-type]
    points = []
    for item in items:
        question = Question(item.question, list(item.history), filters_for(item.user_group))
        evidence = answerer.gather(question, judge=False)
        values = features(evidence.analysis, evidence.selection, evidence.sector)
        points.append(Point(values, evidence, item.refusal))
    return points


def fit(points: list[Point]) -> dict[str, Any]:
    """Logistic regression of "answerable" on standardised features (items without evidence excluded)."""
    from sklearn.linear_model import LogisticRegression

    usable = [p for p in points if p.evidence.selection.sentences]
    x = np.array([[p.values[f] for f in FEATURES] for p in usable], dtype=np.float64)
    y = np.array([0 if p.expect_refusal else 1 for p in usable])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=1000).fit((x - mean) / scale, y)
    return {
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": 0.5,
    }


def scores(points: list[Point], mode: str, model: dict[str, Any]) -> dict[str, float]:
    """Balanced accuracy, refusal precision and recall of `decide` with the given model."""
    refused = [
        decide(p.evidence.analysis, p.evidence.selection, mode, model, sector=p.evidence.sector).refuse
        for p in points
    ]
    expected = [p.expect_refusal for p in points]
    tp = sum(r and e for r, e in zip(refused, expected, strict=True))
    pos, neg = sum(expected), len(expected) - sum(expected)
    tn = sum(not r and not e for r, e in zip(refused, expected, strict=True))
    return {
        "balanced_accuracy": round(((tp / max(1, pos)) + (tn / max(1, neg))) / 2, 4),
        "refusal_precision": round(tp / max(1, sum(refused)), 4),
        "refusal_recall": round(tp / max(1, pos), 4),
        "n": len(points),
    }


def calibrate_mode(points: list[Point], mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit on the dev half, pick the threshold there, report both halves."""
    dev, held_out = points[::2], points[1::2]
    params = fit(dev)
    wrapped = {"modes": {mode: params}}
    accuracy = {
        t: scores(dev, mode, {"modes": {mode: {**params, "threshold": t}}})["balanced_accuracy"]
        for t in THRESHOLDS
    }
    top = max(accuracy.values())
    best = min((t for t, a in accuracy.items() if a >= top - TIE), key=lambda t: abs(t - 0.5))
    params["threshold"] = best
    report = {"dev": scores(dev, mode, wrapped), "held_out": scores(held_out, mode, wrapped)}
    return params, report


def main(argv: list[str] | None = None) -> None:
    """Print the fitted models and their dev / held-out figures; `--write` stores them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE.name}")
    parser.add_argument("--modes", nargs="*", default=list(MODES))
    args = parser.parse_args(argv)
    services = build_services(Settings())
    items = load_gold()
    models: dict[str, Any] = {}
    report: dict[str, Any] = {}
    for mode in args.modes:
        models[mode], report[mode] = calibrate_mode(collect(services, items, mode), mode)
    digest = hashlib.sha256(DEFAULT_GOLD.read_bytes()).hexdigest()[:12]
    stored = {
        "version": MODEL_VERSION,
        "features": list(FEATURES),
        "fitted": (
            f"python -m evals.calibrate --write; {datetime.now(UTC).date()}; gold.yaml sha256 {digest}…, "
            f"{len(items)} items, fitted on even positions, threshold by balanced accuracy there"
        ),
        "report": report,
        "modes": models,
    }
    json.dump(stored, sys.stdout, indent=1, ensure_ascii=False)
    print()
    if args.write:
        MODEL_FILE.write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
