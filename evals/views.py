"""Figures of the three views on hand-labelled sets (evals/labels/): alignment, forum links, sector match.

Run with `python -m evals.views` or `itas eval views` against the index in ITAS_STORE__PATH (the
sample corpus). Prints the figures; `--json` prints them as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.snapshot import IndexSnapshot
from assistant.views import alignment as al
from assistant.views.series import SeriesIndex, build_series_index

LABELS = Path(__file__).resolve().parent / "labels"


def _load(name: str) -> Any:
    return yaml.safe_load((LABELS / name).read_text(encoding="utf-8"))


def _gold_pairs(entries: dict[str, Any]) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    old_universe, new_universe, gold = set(), set(), set()
    for heading, partners in entries.items():
        if heading.startswith("~"):
            new_universe.add(heading[1:])
            continue
        old_universe.add(heading)
        for partner in partners or []:
            new_universe.add(partner)
            gold.add((heading, partner))
    return old_universe, new_universe, gold


def alignment_scores(
    snap: IndexSnapshot,
    *,
    aligner: Callable[[np.ndarray], list[al.Pair]] | None = None,
    index: SeriesIndex | None = None,
) -> dict[str, Any]:
    """Precision and recall of the section alignment on evals/labels/alignment.yaml."""
    labels = _load("alignment.yaml")
    idx = index or build_series_index(snap, labels["series"])
    tp = fp = fn = 0
    errors: list[str] = []
    for key, entries in labels["pairs"].items():
        older, newer = key.split("→")
        old_u, new_u, gold = _gold_pairs(entries)
        a, b = idx.sections[older], idx.sections[newer]
        if aligner is None:
            pairs = idx.pairs[(older, newer)]
        else:
            dense, words = idx.features[(older, newer)]
            pairs = aligner(
                al.similarity_matrix([x.heading for x in a], [x.heading for x in b], dense, words)
            )
        predicted = {(a[p.old].heading, b[p.new].heading) for p in pairs}
        predicted = {p for p in predicted if p[0] in old_u and p[1] in new_u}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        errors += [f"{key} falsch: {x} ↔ {y}" for x, y in sorted(predicted - gold)]
        errors += [f"{key} fehlt: {x} ↔ {y}" for x, y in sorted(gold - predicted)]
    return {
        "pairs_labelled": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "errors": errors,
    }


def precision_recall(
    predicted: Sequence[bool], relevant: Sequence[bool], total_relevant: int
) -> tuple[float, float]:
    """Precision over predictions and recall over all relevant items."""
    tp = sum(1 for p, r in zip(predicted, relevant, strict=True) if p and r)
    n_pred = sum(predicted)
    return (tp / n_pred if n_pred else 1.0), (tp / total_relevant if total_relevant else 1.0)


def folds(items: Sequence[Any], k: int, seed: int = 12) -> list[list[Any]]:
    """Split items into k shuffled folds (deterministic)."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def main(argv: list[str] | None = None) -> int:
    """Print the figures of the views for the index in ITAS_STORE__PATH."""
    from assistant.services import build_services
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    services = build_services(Settings())
    figures = view_figures(services)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(render(figures))
    return 0


def view_figures(services: Any) -> dict[str, Any]:
    """All figures of the views."""
    from evals.views_links import link_scores
    from evals.views_sectors import sector_scores

    snap = services.index.get()
    return {
        "alignment": alignment_scores(snap),
        "links": link_scores(snap, services.embedder),
        "sectors": sector_scores(snap, services.embedder),
    }


def render(figures: dict[str, Any]) -> str:
    """Plain-text table of the figures."""
    a, links, sec = figures["alignment"], figures["links"], figures["sectors"]
    lines = [
        f"Version alignment  ({a['pairs_labelled']} labelled pairs): precision {a['precision']:.3f}  recall {a['recall']:.3f}",
        f"Forum→charter links ({links['pairs_labelled']} labelled pairs, {links['proposals']} proposals): "
        f"threshold {links['threshold']:.3f}; cross-validated precision {links['cv_precision']:.3f} "
        f"recall {links['cv_recall']:.3f}; in-sample precision {links['precision']:.3f} recall {links['recall']:.3f}",
        f"Sector match        ({sec['descriptions']} descriptions): top-1 {sec['top1']:.3f}  top-3 {sec['top3']:.3f}; "
        f"non-business texts rejected {sec['rejected']}/{sec['non_business']}",
    ]
    checks = ", ".join(
        f"{code}: {v['found']}/{v['expected']} (von {v['shown']} gezeigt{', aktuelle Fassung zuerst' if v['current_first'] else ''})"
        for code, v in sec["views"].items()
    )
    lines.append(f"Sector views, hand-checked passages found: {checks}")
    for name, block in (("alignment", a), ("links", links), ("sectors", sec)):
        for err in block.get("errors", [])[:40]:
            lines.append(f"  {name}: {err}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
